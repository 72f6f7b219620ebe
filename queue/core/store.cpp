// The Store interface's default batch operations: the single operation per lease.
#include "queue/core/store.h"

namespace queue::core {

std::vector<bool> Store::ack_many(std::int64_t queue_id, std::span<const LeaseRef> leases, std::int64_t now_ms) {
  std::vector<bool> results;
  results.reserve(leases.size());
  for (const LeaseRef& lease : leases) results.push_back(ack(queue_id, lease, now_ms));
  return results;
}

std::vector<bool> Store::change_visibility_many(std::int64_t queue_id, std::span<const VisibilityChange> changes,
                                                std::int64_t now_ms) {
  std::vector<bool> results;
  results.reserve(changes.size());
  for (const VisibilityChange& c : changes) results.push_back(change_visibility(queue_id, c.lease, c.visible_at_ms, now_ms));
  return results;
}

std::vector<LeaseOutcome> Store::receive_many(const QueueRecord& queue, std::span<const LeaseRequest> requests,
                                              const LeaseTokenSource& tokens) {
  std::vector<LeaseOutcome> outcomes;
  outcomes.reserve(requests.size());
  for (const LeaseRequest& request : requests) outcomes.push_back(receive(queue, request, tokens));
  return outcomes;
}

}  // namespace queue::core
