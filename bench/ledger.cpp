#include "bench/ledger.h"

#include "bench/payload.h"

namespace bench {

Ledger::Ledger(std::uint64_t capacity)
    : capacity_(capacity), deliveries_(std::make_unique<std::atomic<std::uint32_t>[]>(capacity)) {}

std::optional<Stamp> Ledger::record(std::string_view body) {
  auto stamp = read_body(body);
  if (!stamp || stamp->seq >= capacity_) {
    corrupt_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  if (deliveries_[stamp->seq].fetch_add(1, std::memory_order_relaxed) == 0) {
    distinct_.fetch_add(1, std::memory_order_relaxed);
  }
  return stamp;
}

LedgerSummary Ledger::summary(std::optional<std::uint64_t> expected) const {
  LedgerSummary summary;
  std::uint64_t missing = 0;
  for (std::uint64_t seq = 0; seq < capacity_; ++seq) {
    const std::uint32_t count = deliveries_[seq].load(std::memory_order_relaxed);
    summary.delivered += count;
    if (count > 0) ++summary.distinct;
    if (count > 1) summary.duplicates += count - 1;
    if (count == 0 && expected && seq < *expected) ++missing;
  }
  if (expected) summary.losses = missing;
  summary.corrupt = corrupt_.load(std::memory_order_relaxed);
  return summary;
}

}  // namespace bench
