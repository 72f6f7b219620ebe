#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "bench/report/clients.h"
#include "bench/report/postgres.h"
#include "bench/report/render.h"
#include "bench/report/results_table.h"
#include "bench/report/storage.h"
#include "bench/report/targets.h"
#include "bench/report/watching.h"
#include "bench/result.h"

namespace bench::report {
namespace {

const TargetCheck& check_named(const std::vector<TargetCheck>& checks, std::string_view subject) {
  auto found = std::find_if(checks.begin(), checks.end(), [&](const TargetCheck& c) { return c.subject == subject; });
  EXPECT_NE(found, checks.end()) << subject;
  return *found;
}

std::string csv(std::initializer_list<std::string_view> rows) {
  std::string text = csv_header() + "\n";
  for (std::string_view row : rows) (text += row) += "\n";
  return text;
}

ResultsTable table_of(const std::string& text) {
  std::istringstream in(text);
  return ResultsTable(read_rows(in));
}

// Columns: system,mode,workload,connections,batch,messages,seconds,msgs_per_s,latency,p50_us,p99_us,p999_us,max_us,
//          duplicates,losses,corrupt,errors,backlog,rss_mib,server_cpu_us_per_msg
const std::string kRun = csv({
    "redis,always,W1,4,1,1000,1,5000,call,300,600,900,1000,,,,0,,",
    "redis,always,W2,4,1,1000,1,4000,call,300,600,900,1000,0,0,0,0,,",
    "queue,fsync,W1,4,1,1000,1,12000,call,200,400,900,1000,,,,0,,,42.5",
    "queue,fsync,W2,4,1,1000,1,5000,call,200,6500,9000,9900,0,0,0,0,,",
    "queue,fsync,W3-send,4,10,1000,1,50000,call,200,400,900,1000,,,,0,,",
    "queue,fsync,W3-receive,4,10,1000,1,30000,call,200,400,900,1000,0,0,0,0,,",
    "queue,fsync,W4,4,1,1000,1,6000,send_to_receive,900,8000,12000,15000,0,0,0,0,,",
    "queue,fsync,backlog,4,1,1000,1,10000,call,200,400,900,1000,0,,0,0,1000,20.5",
    "queue,fsync,backlog,4,1,1000,1,7000,call,200,400,900,1000,0,,0,0,1000000,120.0",
});

TEST(ResultsTable, ReadsRowsAndFindsByKey) {
  const ResultsTable table = table_of(kRun);
  ASSERT_EQ(table.rows().size(), 9u);
  const Row* row = table.find("queue", "fsync", "backlog", 0, 1'000'000);
  ASSERT_NE(row, nullptr);
  EXPECT_DOUBLE_EQ(row->msgs_per_s, 7000);
  ASSERT_TRUE(row->rss_mib);
  EXPECT_DOUBLE_EQ(*row->rss_mib, 120.0);
  EXPECT_FALSE(row->losses);
  EXPECT_EQ(table.find("queue", "os", "W1"), nullptr);
  EXPECT_EQ(table.backlogs(), (std::vector<std::uint64_t>{1000, 1'000'000}));
}

TEST(ResultsTable, MalformedNumbersNameTheLine) {
  try {
    table_of(csv({"redis,always,W1,four,1,1000,1,5000,call,300,600,900,1000,,,,0,,"}));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("line 2"), std::string::npos) << error.what();
  }
}

TEST(Targets, RatiosAgainstPeersPassAndMissAsMeasured) {
  const std::vector<TargetCheck> checks = check_targets(table_of(kRun));
  const TargetCheck& w1 = check_named(checks, "queue/fsync W1 vs redis/always");
  ASSERT_TRUE(w1.value);
  EXPECT_DOUBLE_EQ(*w1.value, 2.4);
  EXPECT_TRUE(w1.met);
  const TargetCheck& w2 = check_named(checks, "queue/fsync W2 vs redis/always");
  EXPECT_NEAR(*w2.value, 5000.0 / 4000.0, 1e-9);
  EXPECT_FALSE(w2.met);  // issue 10 asks 1.5x
}

TEST(Targets, ServerCpuPerMessageAgainstRedisAndTheLogAgainstSqlite) {
  const ResultsTable table = table_of(csv({
      "redis,everysec,W1,4,1,1000,1,9000,call,300,600,900,1000,,,,0,,,30",
      "queue,os,W1,4,1,1000,1,20000,call,200,400,900,1000,,,,0,,,24",
      "sqlite,os,W1,4,1,1000,1,8000,call,200,400,900,1000,,,,0,,,60",
      "queue,os,W2,4,1,1000,1,7000,call,200,400,900,1000,0,0,0,0,,",
      "sqlite,os,W2,4,1,1000,1,7000,call,200,400,900,1000,0,0,0,0,,",
  }));
  const std::vector<TargetCheck> checks = check_targets(table);
  const TargetCheck& cpu = check_named(checks, "queue/os W1 server CPU per message vs redis/everysec");
  EXPECT_DOUBLE_EQ(*cpu.value, 0.8);
  EXPECT_TRUE(cpu.met);
  const TargetCheck& w1 = check_named(checks, "queue/os W1 vs sqlite/os");
  EXPECT_DOUBLE_EQ(*w1.value, 2.5);
  EXPECT_TRUE(w1.met);
  const TargetCheck& w2 = check_named(checks, "queue/os W2 vs sqlite/os");
  EXPECT_FALSE(w2.met);  // a tie does not beat it
  EXPECT_FALSE(check_named(checks, "queue/fsync W1 vs sqlite/fsync").value);  // no data: no verdict
}

TEST(Targets, QueuesOneCallConsumeIsCheckedBesideTheTwoCallOne) {
  const std::vector<TargetCheck> checks = check_targets(table_of(csv({
      "beanstalkd,default,W2,4,1,1000,1,12000,call,300,600,900,1000,0,0,0,0,,",
      "queue,os,W2,4,1,1000,1,10000,call,200,400,900,1000,0,0,0,0,,",
      "queue-1call,os,W2,4,1,1000,1,18000,call,200,400,900,1000,0,0,0,0,,",
  })));
  EXPECT_FALSE(check_named(checks, "queue/os W2 vs beanstalkd/default").met);
  const TargetCheck& one_call = check_named(checks, "queue-1call/os W2 vs beanstalkd/default");
  EXPECT_DOUBLE_EQ(*one_call.value, 1.5);
  EXPECT_TRUE(one_call.met);
}

TEST(Storage, RestartAndDiskAfterDrainingAreCheckedAndShown) {
  std::istringstream csv_text(
      "system,mode,messages,restart_s,rss_mib,segments_after_drain,disk_mib_after_drain\n"
      "queue,fsync,1000000,2.5,108,2,33\n"
      "queue,os,1000000,3.2,,3,49\n");
  const auto rows = read_storage_rows(csv_text);
  ASSERT_EQ(rows.size(), 2u);
  const std::vector<TargetCheck> checks = check_storage_targets(rows);
  EXPECT_TRUE(check_named(checks, "queue/fsync restart with 1000000 messages waiting").met);
  EXPECT_TRUE(check_named(checks, "queue/fsync segment files after draining 1000000").met);
  EXPECT_FALSE(check_named(checks, "queue/os restart with 1000000 messages waiting").met);
  EXPECT_FALSE(check_named(checks, "queue/os segment files after draining 1000000").met);
  const std::string markdown = render_storage_markdown(rows, checks);
  EXPECT_NE(markdown.find("| queue/fsync | 1000000 | 2.50 s | 108 MiB | 2 | 33 MiB |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("MISS queue/os restart with 1000000 messages waiting: 3.20 s (goal < 3 s"), std::string::npos)
      << markdown;
  std::istringstream bad("queue,fsync,many,2.5,108,2,33\n");
  EXPECT_THROW(read_storage_rows(bad), std::runtime_error);
}

TEST(Targets, MissingPeerDataIsNotAVerdict) {
  const std::vector<TargetCheck> checks = check_targets(table_of(kRun));
  const TargetCheck& os = check_named(checks, "queue/os W1 vs beanstalkd/default");
  EXPECT_FALSE(os.value);
  EXPECT_FALSE(os.met);
}

TEST(Targets, LatencyBacklogAndMemoryBounds) {
  const std::vector<TargetCheck> checks = check_targets(table_of(kRun));
  const TargetCheck& per_call = check_named(checks, "queue/fsync p99 per call, W1 to W3");
  EXPECT_DOUBLE_EQ(*per_call.value, 6.5);  // W2's p99 is the worst
  EXPECT_FALSE(per_call.met);
  const TargetCheck& steady = check_named(checks, "queue/fsync W4 p99 send-to-receive");
  EXPECT_DOUBLE_EQ(*steady.value, 8.0);
  EXPECT_TRUE(steady.met);
  const TargetCheck& depth = check_named(checks, "queue/fsync receive rate, deepest vs shallowest backlog");
  EXPECT_DOUBLE_EQ(*depth.value, 0.7);
  EXPECT_FALSE(depth.met);
  const TargetCheck& memory = check_named(checks, "queue/fsync server RSS at the deepest backlog");
  EXPECT_DOUBLE_EQ(*memory.value, 120.0);
  EXPECT_TRUE(memory.met);
}

TEST(Render, MarkdownHoldsTablesTargetsAndIntegrity) {
  const ResultsTable table = table_of(kRun);
  const std::string markdown = render_markdown(table, check_targets(table));
  EXPECT_NE(markdown.find("| queue | fsync | 12000 | 0.40 | 5000 | 6.50 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("PASS queue/fsync W1 vs redis/always: 2.40x"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("MISS queue/fsync W2 vs redis/always: 1.25x (goal >= 1.5x"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("no duplicate, loss"), std::string::npos);
  EXPECT_NE(markdown.find("| queue | fsync | 42.5 | – |"), std::string::npos) << markdown;
}

TEST(Render, IntegrityProblemsAreListed) {
  const ResultsTable table = table_of(csv({"redis,always,W2,4,1,1000,1,3000,call,300,600,900,1000,1,2,3,0,,"}));
  ASSERT_EQ(troubled_rows(table).size(), 1u);
  EXPECT_NE(render_markdown(table, {}).find("duplicates 1, losses 2, corrupt 3"), std::string::npos);
}

TEST(Render, StepsCutShortAreNamed) {
  const ResultsTable table = table_of(csv({"redis,always,W2,4,1,700,1,700,call,300,600,900,1000,0,,0,0,,,,1"}));
  ASSERT_TRUE(table.rows()[0].cut_short);
  EXPECT_NE(render_markdown(table, {}).find("Cut short by the time limit"), std::string::npos);
  EXPECT_NE(render_markdown(table, {}).find("redis/always W2 (4 conn, 700 messages)"), std::string::npos);
}

TEST(Render, ChartDataHasOneColumnPerSystemAndNaNForGaps) {
  const std::string data = render_throughput_data(table_of(kRun));
  EXPECT_TRUE(data.starts_with("workload redis/always queue/fsync\nW1 5000 12000\n")) << data;
  EXPECT_NE(data.find("W3-send NaN 50000"), std::string::npos) << data;
}

TEST(Render, ScalingDataLeavesOutSystemsThatRanNoScaling) {
  const std::string data = render_scaling_data(table_of(csv({
      "queue,os,scale-produce,1,1,1000,1,7000,call,300,600,900,1000,,,,0,,",
      "queue,os,scale-produce,4,1,1000,1,9000,call,300,600,900,1000,,,,0,,",
      "queue-1call,os,W2,4,1,1000,1,8000,call,300,600,900,1000,0,0,0,0,,",
      "redis,everysec,scale-produce,4,1,1000,1,20000,call,300,600,900,1000,,,,0,,",
  })));
  EXPECT_EQ(data, "connections queue/os redis/everysec\n1 7000 NaN\n4 9000 20000\n");
}

// Issue 5: the hand-rolled baseline, one Queue process and two, next to an issue 4 row.
const std::string kPostgresRun = csv({
    "redis,always,W1,4,1,1000,1,5000,call,300,600,900,1000,,,,0,,",
    "pg-baseline,default,W1,4,1,1000,1,1000,call,300,2500,900,1000,,,,0,,",
    "pg-baseline,default,W2,4,1,1000,1,1000,call,300,600,900,1000,0,0,0,0,,",
    "queue-pg,default,W1,4,1,1000,1,3000,call,300,1500,900,1000,,,,0,,,80",
    "queue-pg,default,W2,4,1,1000,1,2900,call,300,600,900,1000,0,0,0,0,,",
    "queue-pg2,default,W1,4,1,1000,1,3000,call,300,600,900,1000,,,,0,,",
    "queue-pg2,default,W2,4,1,1000,1,3480,call,300,600,900,1000,0,0,0,0,,",
    "queue-pg2,default,W3-send,4,10,1000,1,30000,call,300,600,900,1000,,,,0,,",
    "pg-baseline,default,scale-produce,64,1,1000,1,1000,call,300,2000,900,1000,,,,0,,",
    "pg-baseline,default,scale-consume,64,1,1000,1,1000,call,300,2000,900,1000,0,0,0,0,,",
    "queue-pg,default,scale-produce,64,1,1000,1,2500,call,300,8000,900,1000,,,,0,,",
    "queue-pg,default,scale-consume,64,1,1000,1,1500,call,300,12000,900,1000,0,0,0,0,,",
    "queue-pg2,default,scale-produce,64,1,1000,1,3250,call,300,4000,900,1000,,,,0,,",
    "queue-pg2,default,scale-consume,64,1,1000,1,1800,call,300,5000,900,1000,0,0,0,0,,",
});

TEST(Postgres, RowsSplitFromIssue4sByTheirSystems) {
  const auto [others, postgres] = split_postgres(table_of(kPostgresRun));
  ASSERT_EQ(others.rows().size(), 1u);
  EXPECT_EQ(others.rows()[0].system, "redis");
  ASSERT_EQ(postgres.rows().size(), 13u);
  EXPECT_EQ(postgres.rows()[0].system, "pg-baseline");
  EXPECT_FALSE(is_postgres_system("queue"));
}

TEST(Postgres, TargetsAreIssue11sAtFourAndSixtyFourConnections) {
  const std::vector<TargetCheck> checks = check_postgres_targets(table_of(kPostgresRun));
  ASSERT_EQ(checks.size(), 8u);
  const TargetCheck& w1 = check_named(checks, "queue-pg/default W1 vs pg-baseline/default");
  EXPECT_DOUBLE_EQ(*w1.value, 3.0);
  EXPECT_TRUE(w1.met);  // at least 1x
  const TargetCheck& produce = check_named(checks, "queue-pg/default scale-produce at 64 conn vs pg-baseline/default");
  EXPECT_DOUBLE_EQ(*produce.value, 2.5);
  EXPECT_TRUE(produce.met);  // at least 2x
  const TargetCheck& consume = check_named(checks, "queue-pg/default scale-consume at 64 conn vs pg-baseline/default");
  EXPECT_DOUBLE_EQ(*consume.value, 1.5);
  EXPECT_FALSE(consume.met);
  const TargetCheck& two = check_named(checks, "queue-pg2/default scale-produce at 64 conn vs queue-pg/default");
  EXPECT_DOUBLE_EQ(*two.value, 1.3);
  EXPECT_TRUE(two.met);  // at least 1.3x
  EXPECT_EQ(two.goal, ">= 1.3x");
  const TargetCheck& two_consume = check_named(checks, "queue-pg2/default scale-consume at 64 conn vs queue-pg/default");
  EXPECT_DOUBLE_EQ(*two_consume.value, 1.2);
  EXPECT_FALSE(two_consume.met);
  const TargetCheck& slow = check_named(checks, "queue-pg/default p99 per call at 64 conn");
  EXPECT_DOUBLE_EQ(*slow.value, 12.0);
  EXPECT_FALSE(slow.met);
  EXPECT_EQ(slow.detail, "worst in scale-consume");
  const TargetCheck& quick = check_named(checks, "queue-pg2/default p99 per call at 64 conn");
  EXPECT_DOUBLE_EQ(*quick.value, 5.0);
  EXPECT_TRUE(quick.met);
}

TEST(Postgres, MissingSystemGivesNoVerdict) {
  const std::vector<TargetCheck> checks = check_postgres_targets(table_of(csv({
      "queue-pg,default,W1,4,1,1000,1,3000,call,300,600,900,1000,,,,0,,",
  })));
  for (const TargetCheck& check : checks) {
    EXPECT_FALSE(check.value) << check.subject;
    EXPECT_FALSE(check.met) << check.subject;
  }
}

TEST(Postgres, SectionHasTheTableInComparisonOrderAndTheRatios) {
  const ResultsTable postgres = split_postgres(table_of(kPostgresRun)).second;
  const std::string markdown = render_postgres_markdown(postgres, check_postgres_targets(postgres));
  EXPECT_NE(markdown.find("| pg-baseline | 1000 | 2.50 | 1000 | 0.60 | – | – | – | – |"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| queue-pg2 | 3000 | 0.60 | 3480 | 0.60 | 30000 | 0.60 | – | – |"), std::string::npos)
      << markdown;
  EXPECT_LT(markdown.find("| pg-baseline |"), markdown.find("| queue-pg |"));
  EXPECT_LT(markdown.find("| queue-pg |"), markdown.find("| queue-pg2 |"));
  EXPECT_NE(markdown.find("PASS queue-pg/default W1 vs pg-baseline/default: 3.00x (goal >= 1.0x"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("MISS queue-pg/default p99 per call at 64 conn: 12.00 ms (goal < 10 ms"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("Targets (issue 11"), std::string::npos);
  EXPECT_EQ(markdown.find("redis"), std::string::npos);
  EXPECT_EQ(render_postgres_markdown(ResultsTable({}), {}), "");
}

// Issue 9 part 5: Queue in process beside Queue over HTTP and Redis at 64 threads, and the
// worker SDK beside the hand-written consumer; fsync mode only, so os gives no checks.
const std::string kClientsRun = csv({
    "redis,always,scale-produce,64,1,1000,1,10000,call,300,600,900,1000,,,,0,,",
    "redis,always,scale-consume,64,1,1000,1,5000,call,300,600,900,1000,0,0,0,0,,",
    "queue,fsync,W2,4,1,1000,1,4000,call,300,600,900,1000,0,0,0,0,,,150",
    "queue,fsync,scale-produce,64,1,1000,1,8000,call,300,600,900,1000,,,,0,,",
    "queue,fsync,scale-consume,64,1,1000,1,4000,call,300,600,900,1000,0,0,0,0,,",
    "queue,fsync,W2-sdk,4,1,1000,1,6000,call,0,0,0,0,0,0,0,0,,,90",
    "queue,fsync,scale-consume-sdk,64,1,1000,1,3000,call,0,0,0,0,0,0,0,0,,,",
    "inproc,fsync,W1,4,1,1000,1,20000,call,100,300,900,1000,,,,0,,,40",
    "inproc,fsync,scale-produce,64,1,1000,1,30000,call,300,2500,900,1000,,,,0,,,30",
    "inproc,fsync,scale-consume,64,1,1000,1,9000,call,300,600,900,1000,0,0,0,0,,,60",
});

TEST(Clients, InProcessRowsLeaveIssue4sTables) {
  const auto [others, in_process] = split_in_process(table_of(kClientsRun));
  EXPECT_EQ(others.rows().size(), 7u);
  ASSERT_EQ(in_process.rows().size(), 3u);
  EXPECT_EQ(in_process.rows()[0].system, "inproc");
}

TEST(Clients, InProcessTargetsAreAt64ThreadsAgainstHttpAndRedisOfTheSameDurability) {
  const std::vector<TargetCheck> checks = check_client_targets(table_of(kClientsRun));
  ASSERT_EQ(checks.size(), 6u);  // 4 in process, 2 worker SDK; no os data, no os checks
  const TargetCheck& over_http = check_named(checks, "inproc/fsync scale-produce at 64 conn vs queue/fsync");
  EXPECT_DOUBLE_EQ(*over_http.value, 3.75);
  EXPECT_TRUE(over_http.met);
  EXPECT_EQ(over_http.goal, ">= 3.0x");
  const TargetCheck& over_redis = check_named(checks, "inproc/fsync scale-produce at 64 conn vs redis/always");
  EXPECT_DOUBLE_EQ(*over_redis.value, 3.0);
  EXPECT_TRUE(over_redis.met);
  const TargetCheck& consume = check_named(checks, "inproc/fsync scale-consume at 64 conn vs queue/fsync");
  EXPECT_DOUBLE_EQ(*consume.value, 2.25);
  EXPECT_FALSE(consume.met);
  const TargetCheck& consume_redis = check_named(checks, "inproc/fsync scale-consume at 64 conn vs redis/always");
  EXPECT_DOUBLE_EQ(*consume_redis.value, 1.8);
  EXPECT_FALSE(consume_redis.met);
  EXPECT_EQ(redis_mode_like("os"), "everysec");
}

TEST(Clients, WorkerSdkIsComparedWithTheHandWrittenConsumerAtTheSameConcurrency) {
  const std::vector<TargetCheck> checks = check_client_targets(table_of(kClientsRun));
  const TargetCheck& four = check_named(checks, "queue/fsync W2-sdk vs queue/fsync W2");
  EXPECT_DOUBLE_EQ(*four.value, 1.5);
  EXPECT_TRUE(four.met);
  const TargetCheck& many =
      check_named(checks, "queue/fsync scale-consume-sdk at 64 conn vs queue/fsync scale-consume");
  EXPECT_DOUBLE_EQ(*many.value, 0.75);
  EXPECT_FALSE(many.met);
  EXPECT_EQ(many.goal, ">= 1.0x");
}

TEST(Clients, SectionHasBothTablesTheRatiosAndOnlyItsOwnIntegrity) {
  const ResultsTable table = table_of(kClientsRun);
  const std::string markdown = render_clients_markdown(table, check_client_targets(table));
  EXPECT_NE(markdown.find("| queue in process | fsync | 20000 | – | 30000 | 2.50 | 9000 | 0.60 |"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| queue over HTTP | fsync | – | 4000 | 8000 | 0.60 | 4000 | 0.60 |"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| redis | always | – | – | 10000 |"), std::string::npos) << markdown;
  EXPECT_LT(markdown.find("| queue in process |"), markdown.find("| redis |"));
  EXPECT_NE(markdown.find("| fsync | 4 | 4000 | 6000 | 150.0 / 90.0 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| fsync | 64 | 4000 | 3000 | – / – |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("PASS inproc/fsync scale-produce at 64 conn vs queue/fsync: 3.75x (goal >= 3.0x"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("Targets (issue 9 part 5"), std::string::npos);
  EXPECT_NE(markdown.find("in 5 result rows"), std::string::npos) << markdown;  // 3 in process, 2 worker SDK
}

TEST(Clients, NoInProcessOrWorkerRowsNoSection) {
  const ResultsTable table = table_of(kRun);
  EXPECT_TRUE(check_client_targets(table).empty());
  EXPECT_EQ(render_clients_markdown(table, check_client_targets(table)), "");
}

TEST(Targets, RatioBetweenAnyTwoMeasuresNamesOnlyWhatDiffers) {
  const ResultsTable table = table_of(kClientsRun);
  const TargetCheck same = throughput_ratio(table, "W2", {"queue", "fsync"}, {"redis", "always"}, 1);
  EXPECT_EQ(same.subject, "queue/fsync W2 vs redis/always");
  EXPECT_FALSE(same.value);  // redis has no W2 at 4 connections here
  const TargetCheck across = throughput_ratio(table, Measure{"inproc", "fsync", "W1", 4},
                                              Measure{"queue", "fsync", "scale-produce", 64}, 2, Bound::above);
  EXPECT_EQ(across.subject, "inproc/fsync W1 vs queue/fsync scale-produce at 64 conn");
  EXPECT_DOUBLE_EQ(*across.value, 2.5);
  EXPECT_TRUE(across.met);
}

// Issue 12: queue-bench's stats-poll rows, the producer alone, polled and scraped, and the
// poller's calls (one "message" per call), beside a W1 row of issue 4's tables.
const std::string kWatchingRun = csv({
    "queue,os,W1,4,1,1000,1,9000,call,200,400,900,1000,,,,0,,",
    "queue,os,stats-poll-fill,4,100,1000000,10,100000,call,900,3000,4000,5000,,,,0,,",
    "queue,os,stats-poll-alone,4,1,30000,10,3000,call,200,400,900,1000,,,,0,1000000,",
    "queue,os,stats-poll-polled,4,1,27000,10,2700,call,200,500,900,1000,,,,0,1000000,",
    "queue,os,stats-poll-stats,1,1,8000,10,800,call,150,1250,2000,3000,,,,0,1000000,",
    "queue,os,stats-poll-scraped,4,1,21000,10,2100,call,250,700,900,1000,,,,0,1000000,",
    "queue,os,stats-poll-metrics,1,1,5000,10,500,call,400,2500,3000,4000,,,,1,1000000,",
});

TEST(Watching, StatsPollRowsLeaveIssue4sTables) {
  const auto [others, own] = split_watching(table_of(kWatchingRun));
  ASSERT_EQ(others.rows().size(), 1u);
  EXPECT_EQ(others.rows()[0].workload, "W1");
  EXPECT_EQ(own.rows().size(), 6u);  // the fill too: set-up of this step, not a backlog measurement
}

TEST(Watching, ProducerWatchedAgainstAloneAtFourFifths) {
  const std::vector<TargetCheck> checks = check_watching_targets(table_of(kWatchingRun));
  ASSERT_EQ(checks.size(), 2u);
  const TargetCheck& polled = check_named(checks, "queue/os producer while a client polls stats vs alone");
  EXPECT_DOUBLE_EQ(*polled.value, 0.9);
  EXPECT_TRUE(polled.met);
  EXPECT_EQ(polled.goal, ">= 0.8x");
  const TargetCheck& scraped = check_named(checks, "queue/os producer while a client scrapes /metrics vs alone");
  EXPECT_DOUBLE_EQ(*scraped.value, 0.7);
  EXPECT_FALSE(scraped.met);
  EXPECT_TRUE(check_watching_targets(table_of(kRun)).empty());
}

TEST(Watching, MissingPhaseIsNotAVerdict) {
  const std::vector<TargetCheck> checks =
      check_watching_targets(table_of(csv({"queue,os,stats-poll-alone,4,1,30000,10,3000,call,200,400,900,1000,,,,0,,"})));
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_FALSE(checks[0].value);
  EXPECT_FALSE(checks[1].value);
}

TEST(Watching, SectionHasRatesRatiosCallsAndTheirLatency) {
  const ResultsTable table = table_of(kWatchingRun);
  const std::string markdown = render_watching_markdown(table, check_watching_targets(table));
  EXPECT_NE(markdown.find("| queue | os | 1000000 | 3000 | 2700 | 0.90x | 800 | 0.15 / 1.25 | 2100 | 0.70x | 500 | "
                          "0.40 / 2.50 |"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("PASS queue/os producer while a client polls stats vs alone: 0.90x (goal >= 0.8x; 2700 vs "
                          "3000 msg/s)"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("Errors: queue/os stats-poll-metrics (1)."), std::string::npos) << markdown;
  EXPECT_EQ(render_watching_markdown(table_of(kRun), {}), "");
}

TEST(Watching, PublishNamesEachRowByTheWorkloadAndItsSuffix) {
  std::vector<Result> results(2);
  results[0].workload = "-alone";
  results[1].workload = "-polled";
  EXPECT_FALSE(publish(results, Naming{"queue", "os", "stats-poll"}, ""));
  EXPECT_EQ(results[0].workload, "stats-poll-alone");
  EXPECT_EQ(results[1].workload, "stats-poll-polled");
}

}  // namespace
}  // namespace bench::report
