// `raptor` with Queue inside (ADR-0066, Phase 1): see queue_embedding.h.
#include "backend_v2/api/queue_embedding.h"

#include "queue/api/app.h"
#include "queue/contract/version.h"

namespace raptor::api {

std::shared_ptr<queue::contract::QueueClient> embed_queue(web::App& app, const web::Config& environment,
                                                          std::function<void(std::string&)> host_metrics) {
  // Queue gets the whole environment and scopes it to its QUEUE_* keys itself.
  queue::QueueMount mount = queue::mount_queue(environment, std::move(host_metrics));
  for (web::Blueprint& blueprint : mount.blueprints) {
    app.register_blueprint(std::move(blueprint), queue::contract::api_mount_prefix);
  }
  // GET /metrics at the root, beside Raptor's /healthz: Queue's series and Raptor's.
  for (web::Blueprint& blueprint : mount.root_blueprints) app.register_blueprint(std::move(blueprint));
  return std::move(mount.client);
}

}  // namespace raptor::api
