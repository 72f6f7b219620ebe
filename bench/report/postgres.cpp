#include "bench/report/postgres.h"

namespace bench::report {
namespace {

constexpr const char* kMode = "default";  // scripts/bench runs all three with the server's defaults
// Issue 11: Queue over HTTP against the libpq baseline, at 4 connections and at 64
// (W1 and W2 at 64 are the scaling steps scale-produce and scale-consume), two
// processes against one at 64, and every call's p99 at 64.
constexpr double kOverBaseline = 1;
constexpr double kOverBaselineAt64 = 2;
constexpr double kTwoOverOneAt64 = 1.3;
constexpr double kP99At64Ms = 10;
constexpr std::uint64_t kMany = 64;
constexpr const char* kAt64[] = {"scale-produce", "scale-consume"};

TargetCheck p99_at_64(const ResultsTable& table, const std::string& system) {
  TargetCheck check;
  check.subject = system + "/" + kMode + " p99 per call at 64 conn";
  check.goal = "< 10 ms";
  check.unit = "ms";
  for (const char* workload : kAt64) {
    const Row* row = table.find(system, kMode, workload, kMany);
    if (!row) return TargetCheck{check.subject, check.goal, std::nullopt, check.unit, "", false};
    if (!check.value || row->p99_us / 1000 > *check.value) {
      check.value = row->p99_us / 1000;
      check.detail = std::string("worst in ") + workload;
    }
  }
  check.met = *check.value < kP99At64Ms;
  return check;
}

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
  for (const char* workload : kAt64) {
    checks.push_back(throughput_ratio(table, Measure{queue, kMode, workload, kMany},
                                      Measure{baseline, kMode, workload, kMany}, kOverBaselineAt64));
  }
  for (const char* workload : kAt64) {
    checks.push_back(throughput_ratio(table, Measure{two_queues, kMode, workload, kMany},
                                      Measure{queue, kMode, workload, kMany}, kTwoOverOneAt64));
  }
  checks.push_back(p99_at_64(table, queue));
  checks.push_back(p99_at_64(table, two_queues));
  return checks;
}

}  // namespace bench::report
