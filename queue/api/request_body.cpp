#include "queue/api/request_body.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace queue::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// "application/json", "application/json; charset=utf-8" (any case, charset optionally quoted).
bool is_json_media_type(std::string_view content_type) {
  std::string_view rest = content_type;
  std::size_t semicolon = rest.find(';');
  if (lower(trim(rest.substr(0, semicolon))) != "application/json") return false;
  while (semicolon != std::string_view::npos) {
    rest = rest.substr(semicolon + 1);
    semicolon = rest.find(';');
    std::string parameter = lower(trim(rest.substr(0, semicolon)));
    if (!parameter.starts_with("charset=")) continue;
    std::string charset = parameter.substr(8);
    if (charset != "utf-8" && charset != "\"utf-8\"") return false;
  }
  return true;
}

}  // namespace

std::string_view json_body(const web::Request& request) {
  const std::string& body = request.body();
  if (body.empty()) return body;
  std::optional<std::string_view> content_type = request.header("Content-Type");
  if (!content_type || !is_json_media_type(*content_type)) {
    fail(contract::ErrorCode::unsupported_media_type,
         "the request body must be JSON sent with Content-Type: application/json, got " +
             (content_type ? "'" + std::string(content_type->substr(0, 100)) + "'" : std::string("no Content-Type")));
  }
  return body;
}

}  // namespace queue::api
