#include "backend_v2/api/queue_errors.h"

#include <string>

namespace raptor::api {

web::Error from_queue_error(const queue::contract::Error& error) {
  using queue::contract::ErrorCode;
  switch (error.code) {
    case ErrorCode::unavailable: {
      auto retry_after = error.retry_after.value_or(std::chrono::seconds(1));
      return web::Error{503, "queue_unavailable", "the job queue is unavailable; try again later",
                        {{"Retry-After", std::to_string(retry_after.count())}}};
    }
    case ErrorCode::deadline_exceeded:
      return web::Error{504, "queue_timeout", "the job queue did not answer in time", {}};
    case ErrorCode::invalid_request: return web::Error{400, "bad_request", error.message, {}};
    case ErrorCode::payload_too_large: return web::Error{413, "payload_too_large", error.message, {}};
    default:
      // Logged by Raptor's error handler (5xx) with the code and Queue's request id.
      return web::Error{502, "queue_error",
                        "the job queue refused the request (" + std::string(queue::contract::to_string(error.code)) +
                            (error.request_id.empty() ? "" : ", queue request id " + error.request_id) + ")",
                        {}};
  }
}

web::Error queue_disabled_error() {
  return web::Error{503, "queue_disabled", "this Raptor has no job queue configured", {}};
}

}  // namespace raptor::api
