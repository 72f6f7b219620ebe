// Issue 9 part 5: Queue's own C++ clients, measured in the same run as issue 4's systems.
//
//   - In process: system "inproc" (queue-bench-contract --in-process: the benchmark's
//     threads call the blocking in-process client of a Queue mounted in their process,
//     SQLite). At 64 threads, producing and consuming, at least 3x Queue over HTTP
//     ("queue", same mode) and 2x Redis of the same durability (fsync: always; os:
//     everysec, as issue 4 pairs them).
//   - The worker SDK: rows "W2-sdk" (4 handlers) and "scale-consume-sdk" (64) of system
//     "queue", a queue::worker::Worker draining over the remote client; at least as fast
//     as queue-bench's hand-written HTTP consumer at the same concurrency (W2,
//     scale-consume at 64).
//
// The in-process rows get this section alone; the rows they are compared with stay in
// issue 4's tables too.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "bench/report/results_table.h"
#include "bench/report/targets.h"

namespace bench::report {

inline constexpr std::string_view kInProcess = "inproc";
inline constexpr std::string_view kWorkerDrain = "W2-sdk";
inline constexpr std::string_view kWorkerDrainScaled = "scale-consume-sdk";
inline constexpr std::uint64_t kManyThreads = 64;  // where the in-process targets are set

// The Redis mode of the same durability as Queue's `mode` (fsync: always; os: everysec).
std::string_view redis_mode_like(std::string_view mode);

// {every other row, the in-process rows}, each in its original order.
std::pair<ResultsTable, ResultsTable> split_in_process(const ResultsTable& table);

// The in-process and worker SDK targets for each mode with data in `table` (every row of
// the run). Missing data gives checks without a value; no data at all, none.
std::vector<TargetCheck> check_client_targets(const ResultsTable& table);

}  // namespace bench::report
