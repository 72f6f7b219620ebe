// mount_queue(): everything Queue mounts, and its in-process client, in one place.
#include <memory>
#include <stdexcept>

#include "queue/api/app.h"
#include "queue/api/authorization.h"
#include "queue/api/health_routes.h"
#include "queue/api/metrics_routes.h"
#include "queue/api/queue_metrics.h"
#include "queue/api/queue_routes.h"
#include "queue/api/readiness.h"
#include "queue/api/runtime.h"
#include "queue/api/serving_guard.h"
#include "queue/api/settings.h"
#include "queue/api/ui_routes.h"
#include "queue/api/whoami_routes.h"
#include "queue/core/clock.h"
#include "queue/in_process/client.h"

namespace queue {
namespace {

// The client asks the runtime on every call, as the blueprints' readiness hook does,
// so both see the storage open and the shutdown at the same moment.
//
// It holds the runtime weakly: the blueprints own it. A caller's callback runs on an
// engine thread and may hold the last reference to this client (Raptor's handlers
// capture their client); were that also the last reference to the runtime, the
// runtime and its engines would be destroyed on one of those engines' own threads,
// which cannot join itself. So the runtime always dies with the app, on the thread
// that destroys it, and a client that outlives the app answers `unavailable`.
std::shared_ptr<contract::QueueClient> in_process_client(const std::shared_ptr<api::Runtime>& runtime) {
  in_process::ServiceSource source;
  source.service = [weak = std::weak_ptr(runtime)]() -> std::shared_ptr<core::QueueService> {
    auto alive = weak.lock();
    return alive ? alive->service() : nullptr;
  };
  source.unavailable = [weak = std::weak_ptr(runtime)] {
    auto alive = weak.lock();
    if (!alive) return in_process::Unavailable{std::chrono::seconds(1), "Queue was shut down with the app it was mounted in"};
    return in_process::Unavailable{alive->retry_after(), api::not_ready_error(*alive).message};
  };
  return std::make_shared<in_process::InProcessClient>(std::move(source));
}

}  // namespace

QueueMount mount_queue(const web::Config& config, HostMetrics host_metrics) {
  // Called only when Queue is mounted, so this is where Queue comes to life: with
  // FLAG_QUEUE_V1 off nothing below runs, no file is opened and no thread started.
  std::shared_ptr<api::Runtime> runtime;
  std::shared_ptr<const api::Authorizer> authorizer;
  auto metrics = std::make_shared<api::QueueMetrics>();
  std::size_t metrics_max_queues = api::Settings{}.metrics_max_queues;
  try {
    api::Settings settings = api::load_settings(config);
    authorizer = std::make_shared<const api::Authorizer>(settings.tokens);
    metrics_max_queues = settings.metrics_max_queues;
    runtime = api::Runtime::start(std::move(settings), std::make_shared<core::SystemClock>(), metrics);
  } catch (const std::invalid_argument& error) {
    // A bad QUEUE_* value must not take Raptor down with it: Queue answers 503 instead.
    runtime = api::Runtime::misconfigured(error.what());
    // And fail closed: with its settings unreadable Queue cannot know who may call it.
    authorizer = std::make_shared<const api::Authorizer>(api::Authorizer::deny_all());
  }

  web::Blueprint queues = api::create_queues_blueprint(runtime, authorizer);
  queues.before_serving(api::refuse_public_without_tokens(authorizer->enabled()));
  queues.on_shutdown([runtime] { runtime->shutdown(); });

  web::Blueprint health = api::create_health_blueprint(runtime);
  metrics->instrument(queues);
  metrics->instrument(health);

  QueueMount mount;
  mount.blueprints.push_back(std::move(queues));
  mount.blueprints.push_back(std::move(health));
  web::Blueprint whoami = api::create_whoami_blueprint(authorizer);
  metrics->instrument(whoami);
  mount.blueprints.push_back(std::move(whoami));
  mount.blueprints.push_back(api::create_ui_blueprint());
  mount.root_blueprints.push_back(api::create_metrics_blueprint(runtime, authorizer, metrics, metrics_max_queues, std::move(host_metrics)));
  mount.client = in_process_client(runtime);
  return mount;
}

std::vector<web::Blueprint> create_queue_blueprints(const web::Config& config) {
  return mount_queue(config).blueprints;
}

}  // namespace queue
