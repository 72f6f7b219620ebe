#include "queue/core/receipt_sharing.h"

#include <algorithm>
#include <utility>

#include "queue/core/receipts.h"

namespace queue::core {
namespace {

void append(std::vector<VisibilityChange>& changes, std::span<const LeaseRef> leases, std::int64_t visible_at_ms) {
  for (const LeaseRef& lease : leases) changes.push_back(VisibilityChange{lease, visible_at_ms});
}

}  // namespace

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

void ReceiptSharing::announce(const Receipts* receipts, std::string queue_name, std::int64_t visible_at_ms) {
  announced_.push_back(Announced{receipts, std::move(queue_name), visible_at_ms});
}

std::vector<bool> ReceiptSharing::take(const Receipts* receipts, const std::string& queue_name,
                                       std::span<const LeaseRef> mine, std::int64_t visible_at_ms,
                                       const Apply& apply) {
  if (auto kept = results_.find(receipts); kept != results_.end()) {
    std::vector<bool> results = std::move(kept->second);
    results_.erase(kept);
    return results;
  }
  // Everyone's changes in one list; each op owns a run [begin, begin + count).
  std::vector<VisibilityChange> changes;
  append(changes, mine, visible_at_ms);
  std::vector<std::pair<const Receipts*, std::size_t>> others;  // op, where its run begins
  for (const Announced& other : announced_) {
    if (other.receipts == receipts || other.queue_name != queue_name) continue;
    others.emplace_back(other.receipts, changes.size());
    append(changes, decode_receipts(*other.receipts).leases, other.visible_at_ms);
  }
  std::vector<bool> all = changes.empty() ? std::vector<bool>{} : apply(changes);
  all.resize(changes.size(), false);
  std::erase_if(announced_, [&](const Announced& a) {
    return a.receipts == receipts ||
           std::any_of(others.begin(), others.end(), [&](const auto& o) { return o.first == a.receipts; });
  });
  for (std::size_t i = 0; i < others.size(); ++i) {
    std::size_t begin = others[i].second;
    std::size_t end = i + 1 < others.size() ? others[i + 1].second : changes.size();
    results_[others[i].first] = std::vector<bool>(all.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  all.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return std::vector<bool>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(mine.size()));
}

}  // namespace queue::core
