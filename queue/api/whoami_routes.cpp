#include "queue/api/whoami_routes.h"

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "queue/api/errors.h"
#include "web/json.h"

namespace queue::api {

web::Blueprint create_whoami_blueprint(std::shared_ptr<const Authorizer> authorizer) {
  web::Blueprint blueprint("queue_whoami", "/queue/whoami");
  blueprint.error_handler(error_response);
  blueprint.route("GET", "", [authorizer](web::Request& request) {
    const Principal* principal = authorizer->authenticate(request);
    boost::json::object answer{{"auth", authorizer->enabled()}};
    answer["principal"] = principal != nullptr ? boost::json::value(principal->name) : nullptr;
    if (std::optional<std::string> queue = request.query("queue")) {
      auto may = [&](Access access) { return Authorizer::allows(principal, access, *queue); };
      answer["may"] = boost::json::object{{"read", may(Access::see_queue)},
                                          {"send", may(Access::send)},
                                          {"receive", may(Access::receive)},
                                          {"admin", may(Access::admin)}};
    }
    return web::json(200, answer);
  });
  return blueprint;
}

}  // namespace queue::api
