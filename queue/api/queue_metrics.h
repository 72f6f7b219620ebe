// Queue's metrics registry: what GET /metrics shows besides the per-queue series
// (those come from QueueService::snapshot at scrape time, see metrics_routes.h).
//
// It lives with Queue's blueprints, so the day Queue runs alone (Phase 4) it moves
// unchanged. It is the engine's StorageObserver (commit and fsync timings) and
// records every request of the blueprints it instruments (web/request_metrics.h,
// under the `queue_` prefix).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "queue/core/service.h"
#include "queue/core/telemetry.h"
#include "common/metrics/histogram.h"
#include "common/metrics/text_writer.h"
#include "web/blueprint.h"
#include "web/request_metrics.h"

namespace queue::api {

namespace metrics = common::metrics;

class QueueMetrics final : public core::StorageObserver {
 public:
  QueueMetrics();

  void on_commit(double seconds, std::size_t operations) override;
  void on_fsync(double seconds) override;

  // Records each answered request of `blueprint`.
  void instrument(web::Blueprint& blueprint) { requests_->instrument(blueprint); }

  // The request and storage series.
  void write(metrics::TextWriter& out) const;
  // The per-queue series of `snapshot`, of which at most `max_queues` were asked
  // for (queue_metrics_queues_omitted says how many more exist).
  static void write_queues(metrics::TextWriter& out, const core::MetricsSnapshot& snapshot);

 private:
  std::shared_ptr<web::RequestMetrics> requests_;
  metrics::Histogram commit_duration_;
  metrics::Histogram fsync_duration_;
  metrics::Histogram commit_batch_size_;
};

}  // namespace queue::api
