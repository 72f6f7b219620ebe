#include "web/json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace web {

Response json(int status, const boost::json::value& body) {
  return Response::json(status, boost::json::serialize(body));
}

boost::json::object error_body(const Error& error, std::string_view request_id) {
  boost::json::object detail;
  detail["code"] = error.code;
  detail["message"] = error.message;
  detail["request_id"] = request_id;
  boost::json::object body;
  body["error"] = std::move(detail);
  return body;
}

Response json_error(const Error& error, std::string_view request_id) {
  Response response = json(error.status, error_body(error, request_id));
  for (const auto& [name, value] : error.headers) response.set_header(name, value);
  return response;
}

boost::json::value parse_json_body(const Request& request) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(request.body(), ec);
  if (ec) throw HttpError(400, codes::bad_request, "request body is not valid JSON: " + ec.message());
  return document;
}

boost::json::object parse_json_object_body(const Request& request) {
  boost::json::value document = parse_json_body(request);
  if (!document.is_object()) throw HttpError(400, codes::bad_request, "request body must be a JSON object");
  return std::move(document.as_object());
}

}  // namespace web
