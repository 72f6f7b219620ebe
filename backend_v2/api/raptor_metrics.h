// Raptor's own series for GET /metrics, under the `raptor_` prefix: its requests by
// route pattern (web/request_metrics.h) and raptor_info{version, queue_mode}.
//
// One scrape per process (ADR-0066): with Queue mounted here, Queue's GET /metrics
// serves these beside its own (queue/api/app.h, HostMetrics); without it (Queue
// remote, or off), Raptor's metrics blueprint serves them alone (metrics_blueprint.h).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "backend_v2/api/queue_link.h"
#include "web/blueprint.h"
#include "web/request_metrics.h"

namespace raptor::api {

class RaptorMetrics {
 public:
  RaptorMetrics();

  // Records each answered request of `blueprint`.
  void instrument(web::Blueprint& blueprint) { requests_->instrument(blueprint); }
  // How this Raptor reaches Queue, once the app factory knows.
  void set_queue_mode(QueueMode mode) { queue_mode_.store(mode, std::memory_order_relaxed); }

  // Appends the series in the Prometheus text format. Any thread.
  void write(std::string& exposition) const;

 private:
  std::shared_ptr<web::RequestMetrics> requests_;
  std::atomic<QueueMode> queue_mode_{QueueMode::off};
};

}  // namespace raptor::api
