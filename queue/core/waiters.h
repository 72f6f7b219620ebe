// Parked receives: long polls waiting for a message, keyed by queue. Engine thread only.
//
// A parked receive holds no thread, only its Operation. The engine takes receives
// back out of here to run them again (their queue was touched by a commit, or the
// store's next visible_at for the queue has passed), or to answer them empty
// (deadline passed, cancelled, shutdown). Receives of one queue keep their arrival
// order, so the longest waiting gets the next message.
//
// Sizes are small (one entry per open long-poll connection), so deadlines and
// cancellations are found by a linear scan rather than a second index.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "queue/core/operation.h"

namespace queue::core {

class ParkedReceives {
 public:
  using Ops = std::vector<std::unique_ptr<Operation>>;

  void park(std::unique_ptr<Operation> op, const ParkRequest& request);

  Ops take_queue(std::int64_t queue_id);
  // Receives whose deadline is <= now_ms or whose handle was cancelled.
  Ops take_finished(std::int64_t now_ms);
  Ops take_all();

  // Queues with parked receives whose next_visible_at is unknown (freshly parked or
  // touched); the engine asks the store and records the answer.
  std::vector<std::int64_t> queues_needing_next_visible() const;
  void set_next_visible(std::int64_t queue_id, std::optional<std::int64_t> at_ms);
  // Queues whose recorded next_visible_at is <= now_ms.
  std::vector<std::int64_t> queues_due(std::int64_t now_ms) const;
  std::vector<std::int64_t> queues() const;

  // Earliest deadline or next_visible_at: when the engine must wake next.
  std::optional<std::int64_t> next_wake_ms() const;
  std::size_t size() const { return count_; }
  std::size_t count(std::int64_t queue_id) const {
    auto found = by_queue_.find(queue_id);
    return found == by_queue_.end() ? 0 : found->second.entries.size();
  }
  bool empty() const { return count_ == 0; }

 private:
  struct Entry {
    std::unique_ptr<Operation> op;
    std::int64_t deadline_ms = 0;
  };
  struct QueueWaiters {
    std::deque<Entry> entries;
    bool next_visible_known = false;
    std::optional<std::int64_t> next_visible_ms;
  };
  std::map<std::int64_t, QueueWaiters> by_queue_;
  std::size_t count_ = 0;
};

}  // namespace queue::core
