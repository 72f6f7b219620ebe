#include "web/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "web/cancellation.h"
#include "web/error.h"
#include "web/text.h"

namespace web {

Request::Request(std::string method, std::string target, Headers headers, std::string body)
    : method_(std::move(method)), target_(std::move(target)), headers_(std::move(headers)), body_(std::move(body)) {
  auto parsed = boost::urls::parse_origin_form(target_);
  if (!parsed) throw HttpError(400, codes::bad_request, "invalid request target");
  const boost::urls::url_view& url = *parsed;
  path_ = url.path();
  for (auto segment : url.segments()) segments_.push_back(segment);
  for (auto param : url.params()) query_params_.emplace_back(param.key, param.value);
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers_) {
    if (text::iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<std::string> Request::query(std::string_view key) const {
  for (const auto& [name, value] : query_params_) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

void Request::cancel() const { cancellation_->cancel(); }

}  // namespace web
