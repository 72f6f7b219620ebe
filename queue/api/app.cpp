// create_app(): Queue on its own (Phase 4), the same blueprints at the same paths.
#include "queue/api/app.h"

#include "queue/api/errors.h"
#include "queue/api/settings.h"
#include "queue/contract/version.h"

namespace queue {

std::unique_ptr<web::App> create_app(const web::Config& config) {
  // Alone, Queue has nobody to protect from its misconfiguration: fail fast instead
  // of serving 503s forever.
  api::load_settings(config);

  auto app = std::make_unique<web::App>("queue", config);
  app->error_handler(api::error_response);
  QueueMount mount = mount_queue(config);
  for (web::Blueprint& blueprint : mount.blueprints) {
    app->register_blueprint(std::move(blueprint), contract::api_mount_prefix);
  }
  for (web::Blueprint& blueprint : mount.root_blueprints) app->register_blueprint(std::move(blueprint));
  return app;
}

}  // namespace queue
