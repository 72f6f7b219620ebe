#include "backend_v2/api/app_factory.h"

#include <string>

#include "backend_v2/api/core_blueprint.h"
#include "backend_v2/api/errors.h"
#include "backend_v2/config/feature_flags.h"
#include "backend_v2/config/settings.h"
#include "common/log.h"
#include "queue/api/app.h"
#include "queue/contract/version.h"

namespace raptor::api {

std::unique_ptr<web::App> create_app(const web::Config& environment) {
  const config::Settings settings = config::Settings::load(environment);
  const config::FeatureFlags flags = config::FeatureFlags::load(environment);

  auto app = std::make_unique<web::App>("raptor", environment);
  app->error_handler(error_response);
  app->register_blueprint(create_core_blueprint(settings, flags));

  if (flags.queue_v1) {
    // Queue gets the whole environment and scopes it to its QUEUE_* keys itself.
    for (web::Blueprint& blueprint : queue::create_queue_blueprints(environment)) {
      app->register_blueprint(std::move(blueprint), queue::contract::api_mount_prefix);
    }
  }
  common::log::info("app_created", {{"app", "raptor"}, {"flag_queue_v1", flags.queue_v1 ? "on" : "off"}});
  return app;
}

}  // namespace raptor::api
