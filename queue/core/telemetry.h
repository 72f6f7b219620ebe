// What Queue counts as it runs, for GET /metrics and the queues' stats: per-queue
// counters since this process started, and the timings an engine reports through a
// StorageObserver. No HTTP, no Prometheus: queue/api turns these into series.
//
// Counters are kept in memory (a scrape must never read messages) and applied only
// after the batch that produced them committed, so a rolled-back operation counts
// nothing. Any thread may read them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace queue::core {

struct QueueCounts {
  std::uint64_t sent = 0;           // messages enqueued (deduplicated ones not included)
  std::uint64_t received = 0;       // deliveries
  std::uint64_t acked = 0;
  std::uint64_t redelivered = 0;    // deliveries with receive_count > 1
  std::uint64_t dead_lettered = 0;  // moved to the dead-letter queue after max_receives
  std::uint64_t deduplicated = 0;   // sends answered with an earlier message's id

  QueueCounts& operator+=(const QueueCounts& other);
  bool operator==(const QueueCounts&) const = default;
};

// By queue name. A deleted queue's counters go with it (forget), so its series end.
class QueueCounters {
 public:
  void add(const std::string& queue, const QueueCounts& delta);
  QueueCounts get(std::string_view queue) const;
  void forget(std::string_view queue);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, QueueCounts, std::less<>> counts_;
};

// How a storage engine's commits went. The engine calls it on its own thread, after
// each commit; the timings are wall-clock durations (steady clock), not the service's
// Clock, since they measure the machine, not queue semantics. Implementations must be
// thread-safe and quick.
class StorageObserver {
 public:
  virtual ~StorageObserver() = default;
  // One committed batch: how long begin..commit took and how many operations it held.
  virtual void on_commit(double seconds, std::size_t operations) = 0;
  // One flush to stable storage (fdatasync), by engines that issue their own.
  virtual void on_fsync(double seconds) = 0;
};

}  // namespace queue::core
