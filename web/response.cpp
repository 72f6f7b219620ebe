#include "web/response.h"

#include <algorithm>

#include "web/text.h"

namespace web {

Response& Response::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& field) { return text::iequals(field.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (text::iequals(key, name)) return value;
  }
  return std::nullopt;
}

Response Response::json(int status, std::string body) {
  Response response{status, {{"Content-Type", "application/json"}}, std::move(body)};
  return response;
}

Response Response::text(int status, std::string body) {
  Response response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
  return response;
}

Response Response::empty(int status) { return Response{status, {}, {}}; }

}  // namespace web
