#include "backend_v2/api/errors.h"

#include <boost/json/object.hpp>

#include "common/log.h"
#include "web/json.h"

namespace raptor::api {

web::Response error_response(const web::Request& request, const web::Error& error) {
  std::string detail = error.message;
  if (error.status >= 500) {
    common::log::error("raptor_error", {{"request_id", request.request_id()},
                                        {"status", error.status},
                                        {"type", error.code},
                                        {"detail", error.message}});
    // The detail of a server error may describe internals; the request id finds it in the logs.
    if (error.status == 500) detail = "internal server error";
  }
  boost::json::object body;
  body["status"] = "error";
  body["error"] = boost::json::object{{"type", error.code}, {"detail", detail}};
  body["request_id"] = request.request_id();
  web::Response response = web::json(error.status, body);
  for (const auto& [name, value] : error.headers) response.set_header(name, value);
  return response;
}

}  // namespace raptor::api
