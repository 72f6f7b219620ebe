// Queue's error format, {"error":{"code","message","request_id"}}, for every response
// under Queue's blueprints: routing errors web/ raises (404, 405, 413, ...), errors a
// handler throws as web::HttpError, and exceptions nobody expected (500).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "queue/contract/errors.h"
#include "queue/core/errors.h"
#include "web/error.h"
#include "web/request.h"
#include "web/response.h"

namespace queue::api {

// The error handler of every Queue blueprint. Logs 5xx but 503 with the request id; a 500's
// message never reaches the client (it may describe internals).
web::Response error_response(const web::Request& request, const web::Error& error);

// An error in Queue's vocabulary, with the code's HTTP status.
web::Error make_error(contract::ErrorCode code, std::string message,
                      std::vector<std::pair<std::string, std::string>> headers = {});

// Throws it as web::HttpError, for handlers and hooks.
[[noreturn]] void fail(contract::ErrorCode code, std::string message,
                       std::vector<std::pair<std::string, std::string>> headers = {});
[[noreturn]] void fail(web::Error error);

// The HTTP error for a failure the service reported (unavailable carries Retry-After).
web::Error to_http_error(const core::Error& error);

}  // namespace queue::api
