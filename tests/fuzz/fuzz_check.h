// What every fuzz target checks besides "no crash": a result is either a value that
// keeps the parser's promises or a clean error. A broken promise prints what broke
// and aborts, which libFuzzer reports as a crash, with the input that caused it.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "queue/core/errors.h"
#include "web/error.h"

namespace fuzz {

// The fuzzer's bytes as the text a handler would see.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with `what` unless `holds`.
void require(bool holds, std::string_view what);

// A parser's error as a client would meet it: one of the `allowed` codes, a message
// that is readable (non-empty UTF-8 of bounded size, so errors never echo unbounded
// client input), mapped to a 4xx, and rendered into Queue's JSON error body.
void require_clean_error(const queue::core::Error& error, std::initializer_list<queue::core::ErrorCode> allowed);

// The same for an HttpError thrown while reading a request (its target, its query).
void require_clean_http_error(const web::HttpError& error);

// For round trips: a parser must accept the canonical JSON of what it accepted.
std::string serialize(const boost::json::value& value);

}  // namespace fuzz
