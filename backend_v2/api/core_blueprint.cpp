#include "backend_v2/api/core_blueprint.h"

#include <boost/json/object.hpp>
#include <string>

#include "backend_v2/api/errors.h"
#include "backend_v2/api/version.h"
#include "queue/contract/version.h"
#include "web/json.h"

namespace raptor::api {

web::Blueprint create_core_blueprint(const config::Settings& settings, QueueMode queue_mode) {
  web::Blueprint blueprint("raptor");
  blueprint.error_handler(error_response);

  blueprint.route("GET", "/healthz", [](web::Request&) {
    return web::json(200, boost::json::object{{"status", "ok"}});
  });

  boost::json::object version_body{{"service", "raptor"},
                                   {"version", std::string(raptor::version)},
                                   {"environment", settings.environment}};
  // Clients learn from here whether Queue is mounted here (/api/v1/queues) and which
  // API it speaks; operators, how Raptor itself reaches Queue.
  version_body["queue_api"] = queue_mode == QueueMode::in_process
                                  ? boost::json::value(std::string(queue::contract::api_version))
                                  : boost::json::value(nullptr);
  version_body["queue_mode"] = std::string(to_string(queue_mode));
  blueprint.route("GET", "/api/v1/raptor/version", [version_body](web::Request&) {
    return web::json(200, version_body);
  });
  return blueprint;
}

}  // namespace raptor::api
