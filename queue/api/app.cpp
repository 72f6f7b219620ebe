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
  for (web::Blueprint& blueprint : create_queue_blueprints(config)) {
    app->register_blueprint(std::move(blueprint), contract::api_mount_prefix);
  }
  return app;
}

}  // namespace queue
