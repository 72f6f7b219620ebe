// PostgreSQL array literals, so a whole batch travels as a few parameters of one
// statement (`unnest($1::bigint[], $2::text[])`) instead of one round trip per row.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace queue::storage::postgres {

std::string int64_array(std::span<const std::int64_t> values);
// NULL elements for empty optionals.
std::string text_array(std::span<const std::optional<std::string>> values);
// Each element as bytea hex ("\x..."), so any bytes survive.
std::string bytea_array(std::span<const std::string_view> values);

}  // namespace queue::storage::postgres
