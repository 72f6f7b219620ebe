// Who got what: counts deliveries per sequence number, so a run can report
// duplicates, losses and corrupt bodies, and holds the send-to-receive latency.
//
// Consumers on many threads record into one ledger; the per-sequence counters
// are atomics, everything else is per-thread and merged on summary().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "bench/payload.h"

namespace bench {

struct LedgerSummary {
  std::uint64_t delivered = 0;  // every well-formed delivery, duplicates included
  std::uint64_t distinct = 0;
  std::uint64_t duplicates = 0;
  std::optional<std::uint64_t> losses;  // known only when every expected message was meant to arrive
  std::uint64_t corrupt = 0;            // bad shape or checksum, or a sequence number never sent
};

class Ledger {
 public:
  // Sequence numbers [0, capacity) may arrive.
  explicit Ledger(std::uint64_t capacity);

  // Returns the body's stamp, or nullopt (and counts a corruption) for a bad body.
  std::optional<Stamp> record(std::string_view body);

  std::uint64_t distinct() const { return distinct_.load(std::memory_order_relaxed); }

  // `expected`: the sequence numbers [0, expected) all had to arrive (losses are
  // counted among them); nullopt when only some of them were consumed on purpose.
  LedgerSummary summary(std::optional<std::uint64_t> expected) const;

 private:
  std::uint64_t capacity_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> deliveries_;
  std::atomic<std::uint64_t> distinct_{0};
  std::atomic<std::uint64_t> corrupt_{0};
};

}  // namespace bench
