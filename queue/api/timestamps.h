// Instants on the wire: RFC 3339 in UTC with milliseconds, "2024-05-01T12:00:00.250Z".
//
// Always UTC and always three fractional digits, so timestamps sort as strings and
// a client never has to guess the precision.
#pragma once

#include <cstdint>
#include <string>

namespace queue::api {

// `epoch_ms`: milliseconds since 1970-01-01T00:00:00Z (core::Clock's unit).
std::string format_timestamp(std::int64_t epoch_ms);

}  // namespace queue::api
