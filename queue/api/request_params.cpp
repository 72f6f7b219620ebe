#include "queue/api/request_params.h"

#include <charconv>
#include <optional>

#include "queue/api/errors.h"

namespace queue::api {

int query_int(const web::Request& request, std::string_view key, int fallback, int min, int max) {
  std::optional<std::string> text = request.query(key);
  if (!text) return fallback;
  int value = 0;
  const char* end = text->data() + text->size();
  auto [stop, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || stop != end || value < min || value > max) {
    fail(contract::ErrorCode::invalid_request, "query parameter '" + std::string(key) + "' must be an integer from " +
                                                   std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::string query_string(const web::Request& request, std::string_view key) {
  return request.query(key).value_or("");
}

}  // namespace queue::api
