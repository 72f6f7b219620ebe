#include "bench/report/clients.h"

#include <algorithm>
#include <string>

namespace bench::report {
namespace {

constexpr const char* kModes[] = {"fsync", "os"};
constexpr double kOverHttp = 3;       // in process >= 3x Queue over HTTP
constexpr double kOverRedis = 2;      // in process >= 2x Redis of the same durability
constexpr double kOverHandWritten = 1;  // the worker SDK at least as fast as the hand-written consumer

bool has_rows(const ResultsTable& table, std::string_view system, std::string_view mode,
              std::initializer_list<std::string_view> workloads) {
  return std::any_of(table.rows().begin(), table.rows().end(), [&](const Row& row) {
    return row.system == system && row.mode == mode &&
           std::find(workloads.begin(), workloads.end(), row.workload) != workloads.end();
  });
}

}  // namespace

std::string_view redis_mode_like(std::string_view mode) { return mode == "fsync" ? "always" : "everysec"; }

std::pair<ResultsTable, ResultsTable> split_in_process(const ResultsTable& table) {
  return partition(table, [](const Row& row) { return row.system == kInProcess; });
}

std::vector<TargetCheck> check_client_targets(const ResultsTable& table) {
  const std::string in_process(kInProcess);
  std::vector<TargetCheck> checks;
  for (const std::string mode : kModes) {
    if (!has_rows(table, in_process, mode, {"scale-produce", "scale-consume"})) continue;
    for (const std::string workload : {"scale-produce", "scale-consume"}) {
      const Measure ours{in_process, mode, workload, kManyThreads};
      checks.push_back(throughput_ratio(table, ours, {"queue", mode, workload, kManyThreads}, kOverHttp));
      checks.push_back(throughput_ratio(table, ours, {"redis", std::string(redis_mode_like(mode)), workload, kManyThreads},
                                        kOverRedis));
    }
  }
  for (const std::string mode : kModes) {
    if (!has_rows(table, "queue", mode, {kWorkerDrain, kWorkerDrainScaled})) continue;
    checks.push_back(
        throughput_ratio(table, {"queue", mode, std::string(kWorkerDrain)}, {"queue", mode, "W2"}, kOverHandWritten));
    checks.push_back(throughput_ratio(table, {"queue", mode, std::string(kWorkerDrainScaled), kManyThreads},
                                      {"queue", mode, "scale-consume", kManyThreads}, kOverHandWritten));
  }
  return checks;
}

}  // namespace bench::report
