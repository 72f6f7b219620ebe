#include "queue/api/queue_metrics.h"

#include <memory>

namespace queue::api {
namespace {

using metrics::Labels;

// One gauge or counter family over every queue of the snapshot.
template <typename Value>
void per_queue(metrics::TextWriter& out, std::string_view name, std::string_view type, std::string_view help,
               const core::MetricsSnapshot& snapshot, Value value) {
  out.family(name, type, help);
  for (const core::QueueSnapshot& queue : snapshot.queues) {
    out.sample(name, Labels{{"queue", queue.name}}, static_cast<std::uint64_t>(value(queue)));
  }
}

}  // namespace

QueueMetrics::QueueMetrics()
    : requests_(std::make_shared<web::RequestMetrics>("queue", "Queue's API")),
      commit_duration_(metrics::duration_bounds()),
      fsync_duration_(metrics::duration_bounds()),
      commit_batch_size_(metrics::size_bounds()) {}

void QueueMetrics::on_commit(double seconds, std::size_t operations) {
  commit_duration_.observe(seconds);
  commit_batch_size_.observe(static_cast<double>(operations));
}

void QueueMetrics::on_fsync(double seconds) { fsync_duration_.observe(seconds); }

void QueueMetrics::write(metrics::TextWriter& out) const {
  requests_->write(out);
  out.family("queue_storage_commit_duration_seconds", "histogram",
             "Time from begin to the end of commit of one storage transaction (a group commit).");
  commit_duration_.write(out, "queue_storage_commit_duration_seconds", {});
  out.family("queue_storage_fsync_duration_seconds", "histogram",
             "Time spent in fdatasync per durable commit (message log only; SQLite and PostgreSQL flush inside their commit).");
  fsync_duration_.write(out, "queue_storage_fsync_duration_seconds", {});
  out.family("queue_storage_commit_batch_size", "histogram", "Operations committed together in one transaction.");
  commit_batch_size_.write(out, "queue_storage_commit_batch_size", {});
}

void QueueMetrics::write_queues(metrics::TextWriter& out, const core::MetricsSnapshot& snapshot) {
  out.family("queue_messages", "gauge", "Messages waiting in the queue, by state (ready, in_flight, delayed).");
  for (const core::QueueSnapshot& queue : snapshot.queues) {
    out.sample("queue_messages", Labels{{"queue", queue.name}, {"state", "ready"}},
               static_cast<std::uint64_t>(queue.stats.visible));
    out.sample("queue_messages", Labels{{"queue", queue.name}, {"state", "in_flight"}},
               static_cast<std::uint64_t>(queue.stats.in_flight));
    out.sample("queue_messages", Labels{{"queue", queue.name}, {"state", "delayed"}},
               static_cast<std::uint64_t>(queue.stats.delayed));
  }
  per_queue(out, "queue_oldest_message_age_seconds", "gauge",
            "Age of the queue's oldest message (SQS's ApproximateAgeOfOldestMessage); 0 when empty.", snapshot,
            [](const core::QueueSnapshot& q) { return q.stats.oldest_age_s; });
  per_queue(out, "queue_messages_sent_total", "counter", "Messages enqueued by this process since it started.",
            snapshot, [](const core::QueueSnapshot& q) { return q.counts.sent; });
  per_queue(out, "queue_messages_received_total", "counter", "Deliveries by this process since it started.",
            snapshot, [](const core::QueueSnapshot& q) { return q.counts.received; });
  per_queue(out, "queue_messages_acked_total", "counter", "Messages acknowledged through this process.", snapshot,
            [](const core::QueueSnapshot& q) { return q.counts.acked; });
  per_queue(out, "queue_messages_redelivered_total", "counter",
            "Deliveries of a message that had been delivered before.", snapshot,
            [](const core::QueueSnapshot& q) { return q.counts.redelivered; });
  out.family("queue_messages_dead_lettered_total", "counter",
             "Messages moved from this queue to its dead-letter queue, by reason.");
  for (const core::QueueSnapshot& queue : snapshot.queues) {
    out.sample("queue_messages_dead_lettered_total", Labels{{"queue", queue.name}, {"reason", "max_receives"}},
               queue.counts.dead_lettered);
  }
  per_queue(out, "queue_messages_deduplicated_total", "counter",
            "Sends answered with an earlier message's id (dedup_id within the window).", snapshot,
            [](const core::QueueSnapshot& q) { return q.counts.deduplicated; });
  per_queue(out, "queue_parked_receives", "gauge", "Long polls waiting on the queue right now.", snapshot,
            [](const core::QueueSnapshot& q) { return q.parked_receives; });
  out.family("queue_queues", "gauge", "Queues in the storage.");
  out.sample("queue_queues", {}, static_cast<std::uint64_t>(snapshot.total_queues));
  out.family("queue_metrics_queues_omitted", "gauge",
             "Queues left out of the per-queue series by QUEUE_METRICS_MAX_QUEUES.");
  out.sample("queue_metrics_queues_omitted", {},
             static_cast<std::uint64_t>(snapshot.total_queues - snapshot.queues.size()));
}

}  // namespace queue::api
