// Errors as blueprints see them.
//
// Anything that goes wrong with a request (no route, wrong method, a body too
// large, a handler that throws) is described by an `Error` and handed to the error
// handler of the blueprint that owns the request's path, so every response under
// a blueprint's prefix speaks that blueprint's error format. Paths no blueprint
// owns get the app's error handler.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace web {

struct Error {
  int status = 500;
  std::string code;     // machine-readable: "not_found", "method_not_allowed", "internal_error", ...
  std::string message;  // for people
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow for 405, Retry-After for 503
};

// Throw from a handler or hook to answer with this error through the owning blueprint's handler.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, std::string message,
            std::vector<std::pair<std::string, std::string>> headers = {});
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// The codes web/ itself produces; blueprints may map them to their own vocabulary.
namespace codes {
inline constexpr const char* bad_request = "bad_request";
inline constexpr const char* not_found = "not_found";
inline constexpr const char* method_not_allowed = "method_not_allowed";
inline constexpr const char* payload_too_large = "payload_too_large";
inline constexpr const char* headers_too_large = "request_header_fields_too_large";
inline constexpr const char* internal_error = "internal_error";
inline constexpr const char* unavailable = "unavailable";
}  // namespace codes

}  // namespace web
