// The real queue-server, kill -9'd at random moments under load and restarted on the
// same data (the message log's directory, or the SQLite file), several times. Afterwards every message whose send was answered
// 2xx has been delivered, and no message whose ack was answered 2xx was delivered
// again. Requests caught by a kill may or may not have taken effect: the ledger
// (crash_ledger.h) only holds the server to what it answered.
//
// QUEUE_CRASH_SEED replays a run's schedule of kills (the interleaving of threads
// around them is up to the machine).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "tests/concurrency/queue_api_client.h"
#include "tests/concurrency/queue_server.h"
#include "tests/crash/crash_ledger.h"
#include "tests/crash/crash_workload.h"
#include "tests/integration/temp_dir.h"

namespace robustness {
namespace {

constexpr int kills = 5;
// Load runs this long (uniformly drawn) after each start before the next kill...
constexpr int min_uptime_ms = 200;
constexpr int max_uptime_ms = 1500;
// ...and the server stays down this long, so clients meet refused connections.
constexpr int max_downtime_ms = 400;
constexpr auto last_run = std::chrono::seconds(1);
constexpr auto drain_budget = std::chrono::seconds(30);

std::uint64_t choose_seed() {
  const char* given = std::getenv("QUEUE_CRASH_SEED");
  return given ? std::strtoull(given, nullptr, 10) : std::random_device{}();
}

// Tens of thousands of request lines would bury the few that explain a failure.
std::string without_requests(const std::string& log) {
  std::istringstream lines(log);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" msg=request ") == std::string::npos) kept += line + "\n";
  }
  return kept;
}

void print(const CrashCounts& counts, std::uint64_t seed) {
  std::cout << "crash test: seed=" << seed << " kills=" << kills << " sends_attempted=" << counts.sends_attempted
            << " sent_ok=" << counts.sent_ok << " delivered=" << counts.delivered
            << " delivered_unconfirmed=" << counts.delivered_unconfirmed << " deliveries=" << counts.deliveries
            << " acked=" << counts.acked << " redelivered=" << counts.redelivered << " lost=" << counts.lost
            << " resurrected_after_ack=" << counts.resurrected_after_ack << std::endl;
}

// QUEUE_DURABILITY=os promises exactly what this test checks (a process crash loses
// nothing answered), and runs batches on the web workers (and SQLite's WAL
// checkpoints on a thread of their own): both modes are killed, on both embedded
// engines.
struct CrashSetup {
  std::string engine;      // "log" or "sqlite"
  std::string durability;  // "fsync" or "os"
};
class CrashRecovery : public ::testing::TestWithParam<CrashSetup> {};
INSTANTIATE_TEST_SUITE_P(Durability, CrashRecovery,
                         ::testing::Values(CrashSetup{"log", "fsync"}, CrashSetup{"log", "os"},
                                           CrashSetup{"sqlite", "fsync"}, CrashSetup{"sqlite", "os"}),
                         [](const ::testing::TestParamInfo<CrashSetup>& param) {
                           return param.param.engine + "_" + param.param.durability;
                         });

TEST_P(CrashRecovery, KillNineLosesNoAnsweredSendAndResurrectsNoAnsweredAck) {
  const std::uint64_t seed = choose_seed();
  std::cout << "crash test seed=" << seed << " (QUEUE_CRASH_SEED to replay)" << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> uptime(min_uptime_ms, max_uptime_ms);
  std::uniform_int_distribution<int> downtime(0, max_downtime_ms);

  test_support::TempDir dir;
  const std::string database_url = GetParam().engine == "log" ? "log:" + (dir.path() / "queue").string()
                                                              : "sqlite:" + (dir.path() / "q.db").string();
  QueueServer server(QUEUE_SERVER_BINARY, dir.path(),
                     {{"QUEUE_DURABILITY", GetParam().durability}, {"QUEUE_DATABASE_URL", database_url}});
  server.start();
  const std::string queue = "crash";
  CrashWorkloadOptions options;
  options.queue = queue;
  options.seed = seed;
  {
    QueueApiClient admin(server);
    ASSERT_EQ(admin.put_queue(queue, {{"visibility_timeout_s", options.visibility_timeout_s}}).status, 201);
  }

  CrashLedger ledger;
  CrashWorkload workload(server, ledger, options);
  workload.start();
  for (int kill = 1; kill <= kills; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(uptime(random)));
    server.kill_hard();
    std::this_thread::sleep_for(std::chrono::milliseconds(downtime(random)));
    server.start();
  }
  std::this_thread::sleep_for(last_run);
  workload.stop_producers();
  workload.stop_consumers();

  bool drained = drain_queue(server, ledger, queue, std::chrono::steady_clock::now() + drain_budget);
  CrashVerdict verdict = ledger.verdict();
  print(verdict.counts, seed);

  EXPECT_TRUE(drained) << "the queue was not empty after " << drain_budget.count() << " s of draining";
  constexpr std::size_t shown = 20;
  for (std::size_t i = 0; i < verdict.violations.size() && i < shown; ++i) ADD_FAILURE() << verdict.violations[i];
  EXPECT_TRUE(verdict.violations.empty()) << verdict.violations.size() << " violations (seed " << seed << ")";
  EXPECT_EQ(verdict.counts.lost, 0u);
  EXPECT_EQ(verdict.counts.resurrected_after_ack, 0u);
  // Not rules of the queue: checks that this run put the server to any test at all.
  EXPECT_GT(verdict.counts.sent_ok, 0u);
  EXPECT_GT(verdict.counts.acked, 0u);
  if (::testing::Test::HasFailure())
    std::cout << "server log, all runs, request lines left out:\n" << without_requests(server.output());
}

}  // namespace
}  // namespace robustness
