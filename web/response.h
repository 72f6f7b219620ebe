// An HTTP response as handlers build it. Plain data: status, headers, body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace web {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces any header of that name (case-insensitive).
  Response& set_header(std::string_view name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;

  // `body` must already be serialized JSON.
  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
  static Response empty(int status);
};

}  // namespace web
