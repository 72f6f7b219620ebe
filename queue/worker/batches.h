// Queue's batch calls (ack, change_visibility) take at most 100 receipts.
// Internal to queue/worker.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "queue/worker/lease.h"

namespace queue::worker {

inline constexpr std::size_t max_receipts_per_call = 100;

// Calls `send(chunk)` for consecutive chunks of at most `limit` leases.
template <typename Send>
void for_each_chunk(const std::vector<LeasePtr>& leases, std::size_t limit, Send send) {
  for (std::size_t first = 0; first < leases.size(); first += limit) {
    send(std::span<const LeasePtr>(leases).subspan(first, std::min(limit, leases.size() - first)));
  }
}

inline std::vector<std::string> receipts_of(std::span<const LeasePtr> leases) {
  std::vector<std::string> receipts;
  receipts.reserve(leases.size());
  for (const LeasePtr& lease : leases) receipts.push_back(lease->message.receipt);
  return receipts;
}

}  // namespace queue::worker
