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
  using contract::ErrorCode;
  switch (error.code) {
    case core::ErrorCode::invalid_request: return make_error(ErrorCode::invalid_request, error.message);
    case core::ErrorCode::queue_not_found: return make_error(ErrorCode::queue_not_found, error.message);
    case core::ErrorCode::conflict: return make_error(ErrorCode::conflict, error.message);
    case core::ErrorCode::payload_too_large: return make_error(ErrorCode::payload_too_large, error.message);
    // Only per receipt inside ack/visibility answers; as a whole request it is a bad request.
    case core::ErrorCode::receipt_invalid: return make_error(ErrorCode::invalid_request, error.message);
    case core::ErrorCode::unavailable:
      return make_error(ErrorCode::unavailable, error.message, {{"Retry-After", "1"}});
    case core::ErrorCode::internal: return make_error(ErrorCode::internal_error, error.message);
  }
  return make_error(ErrorCode::internal_error, error.message);
}

}  // namespace queue::api
