// What a worker has done so far, for an app to export (Prometheus, StatsD, logs).
#pragma once

#include <atomic>
#include <cstdint>

namespace queue::worker {

// A snapshot: plain numbers, copied out of the worker's atomics at one moment (each
// number is exact; the set is not one atomic picture).
struct WorkerCounters {
  std::uint64_t received = 0;    // messages leased by this worker's receives
  std::uint64_t succeeded = 0;   // acks the queue confirmed
  std::uint64_t failed = 0;      // handlers that threw
  std::uint64_t retried = 0;     // messages handed back for a later delivery (retry outcome or exception)
  std::uint64_t lease_lost = 0;  // leases lost before the outcome was settled: the outcome was dropped
  std::uint64_t in_flight = 0;   // leases held right now (running, waiting for a slot, or being acked)
};

namespace detail {

struct CounterCells {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> succeeded{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> retried{0};
  std::atomic<std::uint64_t> lease_lost{0};
};

inline void bump(std::atomic<std::uint64_t>& cell, std::uint64_t by = 1) { cell.fetch_add(by, std::memory_order_relaxed); }

}  // namespace detail

}  // namespace queue::worker
