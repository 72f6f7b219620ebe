#include "queue/core/lease_sharing.h"

#include <algorithm>
#include <utility>

namespace queue::core {

void LeaseSharing::announce(Key key, std::string queue_name, LeaseWish wish) {
  announced_.push_back(Announced{key, std::move(queue_name), wish});
}

LeaseOutcome LeaseSharing::take(Store& store, Key key, const QueueRecord& queue, const LeaseWish& wish,
                                const BuildRequest& build, const LeaseTokenSource& tokens) {
  if (auto share = shares_.find(key); share != shares_.end()) {
    LeaseOutcome outcome = std::move(share->second.outcome);
    shares_.erase(share);
    return outcome;
  }
  // The caller first: it runs now, so it is the batch's earliest receive still waiting.
  std::vector<Key> keys{key};
  std::vector<LeaseRequest> requests{build(wish)};
  for (const Announced& other : announced_) {
    if (other.key == key || other.queue_name != queue.name) continue;
    if (other.wish.cancelled && other.wish.cancelled->load(std::memory_order_acquire)) continue;
    keys.push_back(other.key);
    requests.push_back(build(other.wish));
  }
  std::vector<LeaseOutcome> outcomes = store.receive_many(queue, requests, tokens);
  // Only once the store call succeeded: had it thrown, the others lease for themselves.
  std::erase_if(announced_, [&](const Announced& a) { return std::find(keys.begin(), keys.end(), a.key) != keys.end(); });
  if (outcomes.empty()) return LeaseOutcome{};
  // The caller answers for the batch's dead-letter moves (it tells their queue's waiters).
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    outcomes.front().dead_lettered += std::exchange(outcomes[i].dead_lettered, 0);
  }
  for (std::size_t i = 1; i < keys.size() && i < outcomes.size(); ++i) {
    shares_[keys[i]] = Share{queue.id, std::move(outcomes[i])};
  }
  return std::move(outcomes.front());
}

std::vector<std::int64_t> LeaseSharing::release_unclaimed(Store& store, std::int64_t now_ms) {
  std::map<std::int64_t, std::vector<VisibilityChange>> by_queue;
  for (const auto& [key, share] : shares_) {
    for (const LeasedMessage& m : share.outcome.delivered) {
      by_queue[share.queue_id].push_back(VisibilityChange{LeaseRef{m.id, m.lease_token}, now_ms});
    }
  }
  shares_.clear();
  announced_.clear();
  std::vector<std::int64_t> released;
  for (const auto& [queue_id, changes] : by_queue) {
    store.change_visibility_many(queue_id, changes, now_ms);
    released.push_back(queue_id);
  }
  return released;
}

}  // namespace queue::core
