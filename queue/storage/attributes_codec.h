// Message attributes as stored: a JSON object of strings, or NULL when there are
// none (the common case costs nothing). Both engines store it as text, readable with
// the sqlite3 shell and psql.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "queue/core/types.h"

namespace queue::storage {

std::optional<std::string> encode_attributes(const core::MessageAttributes& attributes);
// Throws core::StoreError(internal) on a value this codec did not write.
core::MessageAttributes decode_attributes(const std::optional<std::string>& stored);

}  // namespace queue::storage
