// Raptor's error format, distinct from Queue's:
//   {"status":"error","error":{"type":"not_found","detail":"..."},"request_id":"..."}
// Raptor's clients already parse this shape; Queue's blueprints keep their own.
#pragma once

#include "web/error.h"
#include "web/request.h"
#include "web/response.h"

namespace raptor::api {

// The handler for Raptor's blueprint and for every path no blueprint owns.
// 5xx errors are logged with the request id.
web::Response error_response(const web::Request& request, const web::Error& error);

}  // namespace raptor::api
