// Runs one job per connection, each on its own thread, and times them together.
//
// Worker i is connection i (see endpoint_for). Connecting happens before the clock starts: every worker connects, then all
// are released at once, and the run ends when the last one returns. A worker
// that throws is counted as an error and reported on stderr; the others go on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>

#include "bench/drivers/client.h"
#include "bench/histogram.h"
#include "bench/payload.h"

namespace bench {

struct WorkerStats {
  Histogram calls;            // latency of each call to the server
  Histogram send_to_receive;  // steady state only
  std::uint64_t messages = 0;
  std::uint64_t errors = 0;

  void merge(const WorkerStats& other);
};

struct PoolResult {
  double seconds = 0;
  WorkerStats stats;
};

using Job = std::function<void(std::size_t worker, Client& client, WorkerStats& stats)>;

PoolResult run_pool(const Target& target, std::size_t workers, const Job& job);

// Times one call into `calls`, so every workload measures latency the same way.
template <typename Call>
auto timed(Histogram& calls, Call&& call) {
  const std::uint64_t start = now_ns();
  if constexpr (std::is_void_v<decltype(call())>) {
    call();
    calls.record(now_ns() - start);
  } else {
    auto result = call();
    calls.record(now_ns() - start);
    return result;
  }
}

}  // namespace bench
