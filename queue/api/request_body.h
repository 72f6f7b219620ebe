// A request's JSON body, checked and parsed with codec.h, for route handlers.
//
// 415 unsupported_media_type when a non-empty body is not declared application/json
// (charset, when given, must be UTF-8): a client posting form data or text learns
// so plainly rather than through a confusing parse error. An empty body needs no
// Content-Type, so `curl -X PUT .../queues/jobs` creates a queue.
#pragma once

#include <string_view>
#include <utility>

#include "queue/api/errors.h"
#include "queue/core/errors.h"
#include "web/request.h"

namespace queue::api {

// The body; throws the 415 HttpError when it is non-empty and not JSON by its Content-Type.
std::string_view json_body(const web::Request& request);

// The value, or throws the error (400, 413, ...) as Queue's HttpError.
template <typename T>
T value_or_fail(core::Result<T> result) {
  if (!result.ok()) fail(to_http_error(result.error()));
  return std::move(result).value();
}

// `parse(body)` (a codec.h parser) of the checked body, or throws its error.
template <typename Parse>
auto parse_body(const web::Request& request, Parse parse) {
  return value_or_fail(parse(json_body(request)));
}

}  // namespace queue::api
