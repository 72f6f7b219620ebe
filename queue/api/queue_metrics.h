// Queue's metrics registry: what GET /metrics shows besides the per-queue series
// (those come from QueueService::snapshot at scrape time, see metrics_routes.h).
//
// It lives with Queue's blueprints, so the day Queue runs alone (Phase 4) it moves
// unchanged. It is the engine's StorageObserver (commit and fsync timings) and
// records every request of the blueprints it instruments, labelled by route pattern
// (never the raw path: ids in paths would make one series per message).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "queue/core/service.h"
#include "queue/core/telemetry.h"
#include "queue/metrics/family.h"
#include "queue/metrics/histogram.h"
#include "queue/metrics/text_writer.h"
#include "web/blueprint.h"

namespace queue::api {

class QueueMetrics final : public core::StorageObserver, public std::enable_shared_from_this<QueueMetrics> {
 public:
  QueueMetrics();

  void on_commit(double seconds, std::size_t operations) override;
  void on_fsync(double seconds) override;

  // Records each answered request of `blueprint` (after hook; keeps this registry alive).
  void instrument(web::Blueprint& blueprint);
  void record_request(const web::Request& request, int status);

  // The request and storage series.
  void write(metrics::TextWriter& out) const;
  // The per-queue series of `snapshot`, of which at most `max_queues` were asked
  // for (queue_metrics_queues_omitted says how many more exist).
  static void write_queues(metrics::TextWriter& out, const core::MetricsSnapshot& snapshot);

 private:
  metrics::Family<metrics::Histogram> request_duration_;  // {route, method}
  metrics::Family<std::atomic<std::uint64_t>> requests_;  // {route, method, status}
  metrics::Histogram commit_duration_;
  metrics::Histogram fsync_duration_;
  metrics::Histogram commit_batch_size_;
};

}  // namespace queue::api
