#include "queue/core/ack_sharing.h"

#include <algorithm>
#include <utility>

#include "queue/core/receipts.h"

namespace queue::core {

DecodedReceipts decode_receipts(const std::vector<std::string>& receipts) {
  DecodedReceipts decoded;
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    if (auto lease = decode_receipt(receipts[i])) {
      decoded.leases.push_back(*lease);
      decoded.positions.push_back(i);
    }
  }
  return decoded;
}

void AckSharing::announce(const Receipts* receipts, std::string queue_name) {
  announced_.push_back(Announced{receipts, std::move(queue_name)});
}

std::vector<bool> AckSharing::take(Store& store, const Receipts* receipts, const QueueRecord& queue,
                                   std::span<const LeaseRef> mine, std::int64_t now_ms) {
  if (auto kept = results_.find(receipts); kept != results_.end()) {
    std::vector<bool> results = std::move(kept->second);
    results_.erase(kept);
    return results;
  }
  // Everyone's leases in one list; each acker owns a run [begin, begin + count).
  std::vector<LeaseRef> leases(mine.begin(), mine.end());
  std::vector<std::pair<const Receipts*, std::size_t>> others;  // acker, where its run begins
  for (const Announced& other : announced_) {
    if (other.receipts == receipts || other.queue_name != queue.name) continue;
    others.emplace_back(other.receipts, leases.size());
    std::vector<LeaseRef> theirs = decode_receipts(*other.receipts).leases;
    leases.insert(leases.end(), theirs.begin(), theirs.end());
  }
  std::vector<bool> all = leases.empty() ? std::vector<bool>{} : store.ack_many(queue.id, leases, now_ms);
  all.resize(leases.size(), false);
  std::erase_if(announced_, [&](const Announced& a) {
    return a.receipts == receipts ||
           std::any_of(others.begin(), others.end(), [&](const auto& o) { return o.first == a.receipts; });
  });
  for (std::size_t i = 0; i < others.size(); ++i) {
    std::size_t begin = others[i].second;
    std::size_t end = i + 1 < others.size() ? others[i + 1].second : leases.size();
    results_[others[i].first] = std::vector<bool>(all.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  all.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return std::vector<bool>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(mine.size()));
}

}  // namespace queue::core
