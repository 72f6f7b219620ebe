#include "queue/core/waiters.h"

#include <algorithm>

namespace queue::core {

void ParkedReceives::park(std::unique_ptr<Operation> op, const ParkRequest& request) {
  QueueWaiters& waiters = by_queue_[request.queue_id];
  waiters.entries.push_back(Entry{std::move(op), request.deadline_ms});
  waiters.next_visible_known = false;
  ++count_;
}

ParkedReceives::Ops ParkedReceives::take_queue(std::int64_t queue_id) {
  Ops taken;
  auto it = by_queue_.find(queue_id);
  if (it == by_queue_.end()) return taken;
  for (Entry& entry : it->second.entries) taken.push_back(std::move(entry.op));
  count_ -= taken.size();
  by_queue_.erase(it);
  return taken;
}

ParkedReceives::Ops ParkedReceives::take_finished(std::int64_t now_ms) {
  Ops taken;
  for (auto it = by_queue_.begin(); it != by_queue_.end();) {
    auto& entries = it->second.entries;
    for (auto entry = entries.begin(); entry != entries.end();) {
      const detail::WaitState* state = entry->op->wait_state();
      bool cancelled = state && state->cancelled.load(std::memory_order_acquire);
      if (cancelled || entry->deadline_ms <= now_ms) {
        taken.push_back(std::move(entry->op));
        entry = entries.erase(entry);
      } else {
        ++entry;
      }
    }
    it = entries.empty() ? by_queue_.erase(it) : std::next(it);
  }
  count_ -= taken.size();
  return taken;
}

ParkedReceives::Ops ParkedReceives::take_all() {
  Ops taken;
  for (auto& [queue_id, waiters] : by_queue_) {
    for (Entry& entry : waiters.entries) taken.push_back(std::move(entry.op));
  }
  by_queue_.clear();
  count_ = 0;
  return taken;
}

std::vector<std::int64_t> ParkedReceives::queues_needing_next_visible() const {
  std::vector<std::int64_t> ids;
  for (const auto& [queue_id, waiters] : by_queue_) {
    if (!waiters.next_visible_known) ids.push_back(queue_id);
  }
  return ids;
}

void ParkedReceives::set_next_visible(std::int64_t queue_id, std::optional<std::int64_t> at_ms) {
  auto it = by_queue_.find(queue_id);
  if (it == by_queue_.end()) return;
  it->second.next_visible_known = true;
  it->second.next_visible_ms = at_ms;
}

std::vector<std::int64_t> ParkedReceives::queues_due(std::int64_t now_ms) const {
  std::vector<std::int64_t> ids;
  for (const auto& [queue_id, waiters] : by_queue_) {
    if (waiters.next_visible_known && waiters.next_visible_ms && *waiters.next_visible_ms <= now_ms) {
      ids.push_back(queue_id);
    }
  }
  return ids;
}

std::vector<std::int64_t> ParkedReceives::queues() const {
  std::vector<std::int64_t> ids;
  for (const auto& [queue_id, waiters] : by_queue_) ids.push_back(queue_id);
  return ids;
}

std::optional<std::int64_t> ParkedReceives::next_wake_ms() const {
  std::optional<std::int64_t> wake;
  auto consider = [&](std::int64_t at) { wake = wake ? std::min(*wake, at) : at; };
  for (const auto& [queue_id, waiters] : by_queue_) {
    if (waiters.next_visible_ms) consider(*waiters.next_visible_ms);
    for (const Entry& entry : waiters.entries) consider(entry.deadline_ms);
  }
  return wake;
}

}  // namespace queue::core
