// JSON helpers shared by every blueprint (Raptor's and Queue's): responses,
// request bodies and the default error body.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "web/error.h"
#include "web/request.h"
#include "web/response.h"

namespace web {

// A response whose body is `body` serialized, with Content-Type: application/json.
Response json(int status, const boost::json::value& body);

// {"error":{"code":..., "message":..., "request_id":...}}: the app's default error body,
// and a shape blueprints may reuse.
boost::json::object error_body(const Error& error, std::string_view request_id);
// error_body() as a response with the error's status and headers.
Response json_error(const Error& error, std::string_view request_id);

// The request body parsed as JSON. Throws HttpError(400, "bad_request") naming the problem
// when it is not valid JSON (an empty body is not).
boost::json::value parse_json_body(const Request& request);
// As parse_json_body(), and the document must be an object.
boost::json::object parse_json_object_body(const Request& request);

}  // namespace web
