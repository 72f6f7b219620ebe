#include "backend_v2/api/app_factory.h"

#include <string>

#include "backend_v2/api/core_blueprint.h"
#include "backend_v2/api/errors.h"
#include "backend_v2/api/exports_blueprint.h"
#include "backend_v2/api/metrics_blueprint.h"
#include "backend_v2/api/raptor_metrics.h"
#include "backend_v2/api/queue_link.h"
#include "backend_v2/config/feature_flags.h"
#include "backend_v2/config/settings.h"
#include "common/log.h"
#include "queue/contract/client.h"

namespace raptor::api {

std::unique_ptr<web::App> create_app(const web::Config& environment) {
  const config::Settings settings = config::Settings::load(environment);
  const config::FeatureFlags flags = config::FeatureFlags::load(environment);

  auto app = std::make_unique<web::App>("raptor", environment);
  app->error_handler(error_response);

  // One GET /metrics per process: a Queue mounted here serves Raptor's series with its
  // own; otherwise Raptor serves them itself (below).
  auto metrics = std::make_shared<RaptorMetrics>();
  auto host_metrics = [metrics](std::string& exposition) { metrics->write(exposition); };

  // Mounts Queue (in process) or connects to it (remote), or neither.
  QueueLink queue = link_queue(*app, environment, settings, flags, host_metrics);
  metrics->set_queue_mode(queue.mode);
  // The app's record of the client, for whoever holds the app (main, tests, later
  // factories), as Flask code finds its extensions through current_app.
  app->set_extension<queue::contract::QueueClient>(queue.client);

  web::Blueprint core = create_core_blueprint(settings, queue.mode);
  // Raptor's blueprints take what they need when they are made, here, rather than
  // looking it up per request: the dependency is in the signature, and a blueprint
  // built without a client is the "no Queue" case, tested like any other.
  web::Blueprint exports = create_exports_blueprint(queue.client);
  metrics->instrument(core);
  metrics->instrument(exports);
  app->register_blueprint(std::move(core));
  app->register_blueprint(std::move(exports));
  if (queue.mode != QueueMode::in_process) {
    app->register_blueprint(create_metrics_blueprint(metrics, settings.metrics_token));
  }

  common::log::info("app_created", {{"app", "raptor"},
                                    {"flag_queue_v1", flags.queue_v1 ? "on" : "off"},
                                    {"queue_mode", to_string(queue.mode)}});
  return app;
}

}  // namespace raptor::api
