// What only PostgreSQL's stats have: counts kept as insert-only deltas that the
// sweep folds (schema.cpp, migration 3). Stats must read no backlog, a fold must
// leave no deltas behind, and a fold must skip a queue another process is folding
// instead of waiting for it.
#include <regex>

#include "postgres_fixture.h"
#include "queue/storage/postgres/postgres_store.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

using PostgresStats = PostgresTest;
using storage::postgres::Params;
using storage::postgres::Rows;
using storage::postgres::Session;

std::int64_t scalar(Session& session, const std::string& sql) { return session.run(sql).int64(0, 0); }

std::int64_t queue_id(Session& session, const std::string& name) {
  return session.run("SELECT id FROM queue_queues WHERE name = $1", Params().add(std::string_view(name))).int64(0, 0);
}

std::int64_t deltas(Session& session, std::int64_t queue) {
  return session.run("SELECT count(*) FROM queue_count_deltas WHERE queue_id = $1", Params().add(queue)).int64(0, 0);
}

void send_many(ServiceHarness& h, const std::string& queue, int batches) {
  for (int b = 0; b < batches; ++b) {
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(message("m"));
    ASSERT_TRUE(h.send(queue, batch).ok());
  }
}

// The most rows any node of the plan read or threw away.
std::int64_t most_rows_touched(const std::string& plan) {
  static const std::regex touched(R"((?:rows=|Removed by Filter: |Heap Fetches: )(\d+))");
  std::int64_t most = 0;
  for (std::sregex_iterator it(plan.begin(), plan.end(), touched), end; it != end; ++it) {
    most = std::max<std::int64_t>(most, std::stoll((*it)[1].str()));
  }
  return most;
}

TEST_F(PostgresStats, ReadNoBacklog) {
  ServiceHarness h;
  h.create("q");
  send_many(h, "q", 200);  // 20000 ready
  ASSERT_EQ(h.receive_ok("q", 3, 60).size(), 3u);
  OutgoingMessage delayed = message("d");
  delayed.delay_s = 60;
  ASSERT_TRUE(h.send("q", {delayed, delayed}).ok());
  h.advance_ms(1'000);  // a sweep folds the 202 deltas, as one would have within the second
  QueueStats stats = h.stats("q");
  EXPECT_EQ(stats.visible, 19'997);
  EXPECT_EQ(stats.in_flight, 3);
  EXPECT_EQ(stats.delayed, 2);

  auto admin = admin_session(h.database_url());
  // As autovacuum would have: the folded deltas' dead rows gone, the tables analyzed.
  for (const char* table : {"queue_count_deltas", "queue_message_state", "queue_messages"}) {
    admin->exec(std::string("VACUUM ANALYZE ") + table);
  }
  Rows rows = admin->run("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " +
                             std::string(storage::postgres::stats_sql),
                         Params().add(queue_id(*admin, "q")).add(h.clock().now_ms()));
  std::string plan;
  for (int r = 0; r < rows.size(); ++r) plan += rows.text(r, 0) + "\n";
  // A count of the queue reads ~20000 index entries or rows somewhere.
  EXPECT_LT(most_rows_touched(plan), 100) << plan;
}

TEST_F(PostgresStats, SweepFoldsEveryCommittedDelta) {
  ServiceHarness h;
  h.create("q");
  h.create("other");
  send_many(h, "q", 20);
  h.send_one("other", "x");
  auto admin = admin_session(h.database_url());
  const std::int64_t q = queue_id(*admin, "q");
  EXPECT_GE(deltas(*admin, q), 20);  // one per committed send

  h.advance_ms(1'000);  // a sweep
  EXPECT_EQ(scalar(*admin, "SELECT count(*) FROM queue_count_deltas"), 0);
  EXPECT_EQ(admin->run("SELECT messages FROM queue_counts WHERE queue_id = $1", Params().add(q)).int64(0, 0), 2'000);
  EXPECT_EQ(h.stats("q").visible, 2'000);
  EXPECT_EQ(h.stats("other").visible, 1);
}

TEST_F(PostgresStats, FoldSkipsAQueueAnotherProcessIsFoldingInsteadOfWaiting) {
  ServiceHarness h;
  h.create("q");
  send_many(h, "q", 3);
  auto admin = admin_session(h.database_url());
  const std::int64_t q = queue_id(*admin, "q");
  // The other "process" is in the middle of folding q.
  admin->exec("BEGIN");
  admin->run("SELECT 1 FROM queue_counts WHERE queue_id = $1 FOR UPDATE", Params().add(q));
  h.advance_ms(1'000);  // returns: the sweep did not wait for the lock
  send_many(h, "q", 1);
  EXPECT_EQ(h.stats("q").visible, 400);
  admin->exec("COMMIT");
  EXPECT_GE(deltas(*admin, q), 4);

  h.advance_ms(1'000);
  EXPECT_EQ(deltas(*admin, q), 0);
  EXPECT_EQ(h.stats("q").visible, 400);
}

TEST_F(PostgresStats, DeletingAQueueDeletesItsCountsAndDeltas) {
  ServiceHarness h;
  h.create("q");
  send_many(h, "q", 2);
  auto admin = admin_session(h.database_url());
  const std::int64_t q = queue_id(*admin, "q");
  ASSERT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("q", std::move(done)); }).ok());
  EXPECT_EQ(deltas(*admin, q), 0);
  EXPECT_EQ(admin->run("SELECT count(*) FROM queue_counts WHERE queue_id = $1", Params().add(q)).int64(0, 0), 0);
}

}  // namespace
}  // namespace queue::testing
