#include "queue/api/health_routes.h"

#include <boost/json/object.hpp>

#include "queue/api/errors.h"
#include "queue/api/readiness.h"
#include "queue/api/reply.h"
#include "web/json.h"

namespace queue::api {

web::Blueprint create_health_blueprint(std::shared_ptr<const Runtime> runtime) {
  web::Blueprint blueprint("queue_health", "/queue");
  blueprint.error_handler(error_response);

  blueprint.route("GET", "/healthz", [](web::Request&) {
    return web::json(200, boost::json::object{{"status", "ok"}});
  });

  blueprint.route_async("GET", "/readyz", [runtime](web::Request&, web::Responder responder) {
    std::shared_ptr<core::QueueService> service = runtime->service();
    if (!service) {
      responder.send_error(not_ready_error(*runtime));
      return;
    }
    service->check_health(reply<core::Health>(std::move(responder), [](core::Health& health) {
      return web::json(200, boost::json::object{{"status", "ready"},
                                                {"commits", health.commits},
                                                {"parked_receives", health.parked_receives}});
    }));
  });
  return blueprint;
}

}  // namespace queue::api
