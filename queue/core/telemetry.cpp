#include "queue/core/telemetry.h"

namespace queue::core {

QueueCounts& QueueCounts::operator+=(const QueueCounts& other) {
  sent += other.sent;
  received += other.received;
  acked += other.acked;
  redelivered += other.redelivered;
  dead_lettered += other.dead_lettered;
  deduplicated += other.deduplicated;
  return *this;
}

void QueueCounters::add(const std::string& queue, const QueueCounts& delta) {
  std::lock_guard lock(mutex_);
  counts_[queue] += delta;
}

QueueCounts QueueCounters::get(std::string_view queue) const {
  std::lock_guard lock(mutex_);
  auto found = counts_.find(queue);
  return found == counts_.end() ? QueueCounts{} : found->second;
}

void QueueCounters::forget(std::string_view queue) {
  std::lock_guard lock(mutex_);
  if (auto found = counts_.find(queue); found != counts_.end()) counts_.erase(found);
}

}  // namespace queue::core
