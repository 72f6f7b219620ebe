#include "bench/report/postgres.h"

namespace bench::report {
namespace {

constexpr const char* kMode = "default";  // scripts/bench runs all three with the server's defaults
constexpr double kOverBaseline = 3;       // issue 5: Queue over HTTP >= 3x the libpq baseline
constexpr double kOverOneProcess = 1;     // issue 5: two processes > one

}  // namespace

bool is_postgres_system(std::string_view system) {
  return system == kPostgresBaseline || system == kQueueOnPostgres || system == kTwoQueuesOnPostgres;
}

std::pair<ResultsTable, ResultsTable> split_postgres(const ResultsTable& table) {
  return partition(table, [](const Row& row) { return is_postgres_system(row.system); });
}

std::vector<TargetCheck> check_postgres_targets(const ResultsTable& table) {
  const std::string queue(kQueueOnPostgres);
  const std::string baseline(kPostgresBaseline);
  const std::string two_queues(kTwoQueuesOnPostgres);
  std::vector<TargetCheck> checks;
  for (const char* workload : {"W1", "W2"}) {
    checks.push_back(throughput_ratio(table, workload, {queue, kMode}, {baseline, kMode}, kOverBaseline));
  }
  for (const char* workload : {"W1", "W2"}) {
    checks.push_back(throughput_ratio(table, workload, {two_queues, kMode}, {queue, kMode}, kOverOneProcess,
                                      Bound::above));
  }
  return checks;
}

}  // namespace bench::report
