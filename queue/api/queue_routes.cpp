#include "queue/api/queue_routes.h"

#include "queue/api/admin_routes.h"
#include "queue/api/errors.h"
#include "queue/api/message_routes.h"
#include "queue/api/readiness.h"
#include "queue/api/route_table.h"

namespace queue::api {

web::Blueprint create_queues_blueprint(std::shared_ptr<Runtime> runtime, std::shared_ptr<const Authorizer> authorizer) {
  web::Blueprint blueprint("queues", "/queues");
  blueprint.error_handler(error_response);
  blueprint.before_request(require_ready(runtime));

  RouteTable routes(blueprint, std::move(runtime), std::move(authorizer));
  add_admin_routes(routes);
  add_message_routes(routes);
  return blueprint;
}

}  // namespace queue::api
