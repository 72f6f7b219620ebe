// GET /metrics: Queue's series in the Prometheus text format. Mounted at the root of
// the process (not under /api/v1), where Prometheus looks by default.
//
// Access: a token with scope `metrics` (or `admin`) when QUEUE_API_TOKENS is set;
// otherwise open, on a loopback address only, as the API is (serving_guard.h).
// A scrape costs O(queues): counters in memory, depth from the engines' counts.
// When Queue is mounted in another app (Raptor), the host's series come first.
#pragma once

#include <cstddef>
#include <memory>

#include "queue/api/app.h"
#include "queue/api/authorization.h"
#include "queue/api/queue_metrics.h"
#include "queue/api/runtime.h"
#include "web/blueprint.h"

namespace queue::api {

// `host_metrics` (may be empty): the series of the app Queue is mounted in (app.h).
web::Blueprint create_metrics_blueprint(std::shared_ptr<Runtime> runtime, std::shared_ptr<const Authorizer> authorizer,
                                        std::shared_ptr<QueueMetrics> metrics, std::size_t max_queues,
                                        HostMetrics host_metrics = {});

}  // namespace queue::api
