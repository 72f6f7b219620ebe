#include "queue/api/errors.h"

#include <string_view>

#include "common/log.h"
#include "web/json.h"

namespace queue::api {
namespace {

// web/ names its errors generically; Queue's clients see Queue's vocabulary.
std::string queue_code(const web::Error& error) {
  if (error.code == web::codes::bad_request) return std::string(contract::to_string(contract::ErrorCode::invalid_request));
  if (auto code = contract::parse_error_code(error.code)) return std::string(contract::to_string(*code));
  // A code nobody mapped: keep the status honest and the vocabulary closed.
  return std::string(contract::to_string(error.status >= 500 ? contract::ErrorCode::internal_error
                                                             : contract::ErrorCode::invalid_request));
}

}  // namespace

web::Response error_response(const web::Request& request, const web::Error& error) {
  web::Error shown = error;
  shown.code = queue_code(error);
  // 503s are expected while Queue starts (Runtime logs why); every other 5xx is a bug to find.
  if (error.status >= 500 && error.status != 503) {
    common::log::error("queue_error", {{"request_id", request.request_id()},
                                       {"status", error.status},
                                       {"code", shown.code},
                                       {"detail", error.message}});
  }
  if (error.status == 500) shown.message = "internal error; the request id identifies it in Queue's logs";
  return web::json_error(shown, request.request_id());
}

web::Error make_error(contract::ErrorCode code, std::string message,
                      std::vector<std::pair<std::string, std::string>> headers) {
  return web::Error{contract::http_status(code), std::string(contract::to_string(code)), std::move(message),
                    std::move(headers)};
}

void fail(contract::ErrorCode code, std::string message, std::vector<std::pair<std::string, std::string>> headers) {
  fail(make_error(code, std::move(message), std::move(headers)));
}

void fail(web::Error error) {
  throw web::HttpError(error.status, std::move(error.code), std::move(error.message), std::move(error.headers));
}

web::Error to_http_error(const core::Error& error) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (error.code == core::ErrorCode::unavailable) {
    headers.emplace_back("Retry-After", std::to_string(core::unavailable_retry_after.count()));
  }
  return make_error(core::public_code(error.code), error.message, std::move(headers));
}

}  // namespace queue::api
