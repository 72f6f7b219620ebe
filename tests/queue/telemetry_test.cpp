// What Queue counts for GET /metrics and the queues' stats (core/telemetry.h): per-queue
// counters applied after the commit, the metrics snapshot, and that a snapshot reads
// no message (a counting store proves it).
#include <atomic>
#include <memory>

#include "forwarding_store.h"
#include "queue/storage/open.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Telemetry);

OutgoingMessage with_dedup(std::string body, std::string dedup_id) {
  OutgoingMessage m = message(std::move(body));
  m.dedup_id = std::move(dedup_id);
  return m;
}

TEST_P(Telemetry, CountsSendsDeliveriesAndAcksOfEachQueue) {
  ServiceHarness h;
  h.create("orders");
  h.create("other");
  ASSERT_TRUE(h.send("orders", {message("a"), message("b"), message("c")}).ok());
  auto received = h.receive_ok("orders", 2);
  ASSERT_EQ(received.size(), 2u);
  ASSERT_TRUE(h.ack("orders", {received[0].receipt, "not-a-receipt"}).ok());

  QueueCounts counts = h.service().counters().get("orders");
  EXPECT_EQ(counts.sent, 3u);
  EXPECT_EQ(counts.received, 2u);
  EXPECT_EQ(counts.acked, 1u);
  EXPECT_EQ(counts.redelivered, 0u);
  EXPECT_EQ(h.service().counters().get("other"), QueueCounts{});

  // GET /queues/{q} shows them beside the counts the store keeps.
  QueueStats stats = h.stats("orders");
  EXPECT_EQ(stats.sent_total, 3u);
  EXPECT_EQ(stats.received_total, 2u);
  EXPECT_EQ(stats.acked_total, 1u);
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.in_flight, 1);
}

TEST_P(Telemetry, CountsDeduplicatedSendsApartFromSentOnes) {
  ServiceHarness h;
  h.create("orders");
  ASSERT_TRUE(h.send("orders", {with_dedup("a", "k1"), with_dedup("a again", "k1")}).ok());
  ASSERT_TRUE(h.send("orders", {with_dedup("a later", "k1"), message("b")}).ok());
  QueueCounts counts = h.service().counters().get("orders");
  EXPECT_EQ(counts.sent, 2u);
  EXPECT_EQ(counts.deduplicated, 2u);
}

TEST_P(Telemetry, CountsRedeliveriesAndDeadLetterMoves) {
  ServiceHarness h;
  h.create("orders-dlq");
  AttributesPatch patch;
  patch.dead_letter = DeadLetterPolicy{"orders-dlq", 2};
  patch.visibility_timeout_s = 10;
  h.create("orders", patch);
  h.send_one("orders", "poison");
  for (int delivery = 1; delivery <= 2; ++delivery) {
    ASSERT_EQ(h.receive_ok("orders").size(), 1u) << delivery;
    h.advance_ms(10'000);
  }
  EXPECT_TRUE(h.receive_ok("orders").empty());  // the third delivery moves it instead

  QueueCounts counts = h.service().counters().get("orders");
  EXPECT_EQ(counts.received, 2u);
  EXPECT_EQ(counts.redelivered, 1u);
  EXPECT_EQ(counts.dead_lettered, 1u);
}

TEST_P(Telemetry, ADeletedQueueTakesItsCountersWithIt) {
  ServiceHarness h;
  h.create("orders");
  h.send_one("orders", "a");
  ASSERT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("orders", done); }).ok());
  EXPECT_EQ(h.service().counters().get("orders"), QueueCounts{});
  h.create("orders");
  EXPECT_EQ(h.stats("orders").sent_total, 0u);
}

TEST_P(Telemetry, ARejectedSendCountsNothing) {
  ServiceHarness h;
  h.create("orders");
  EXPECT_FALSE(h.send("missing", {message("a")}).ok());
  AttributesPatch small;
  small.max_message_bytes = 4;
  h.put("orders", small);
  EXPECT_FALSE(h.send("orders", {message("far too long")}).ok());
  EXPECT_EQ(h.service().counters().get("orders"), QueueCounts{});
  EXPECT_EQ(h.service().counters().get("missing"), QueueCounts{});
}

TEST_P(Telemetry, SnapshotShowsTheFirstQueuesByNameAndHowManyThereAre) {
  ServiceHarness h;
  for (const char* name : {"c", "a", "b"}) h.create(name);
  h.send_one("a", "1");
  h.send_one("a", "2");
  Result<MetricsSnapshot> snapshot = await<MetricsSnapshot>([&](auto done) { h.service().snapshot(2, done); });
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot.value().total_queues, 3u);
  ASSERT_EQ(snapshot.value().queues.size(), 2u);
  EXPECT_EQ(snapshot.value().queues[0].name, "a");
  EXPECT_EQ(snapshot.value().queues[0].stats.visible, 2);
  EXPECT_EQ(snapshot.value().queues[0].counts.sent, 2u);
  EXPECT_EQ(snapshot.value().queues[1].name, "b");
}

TEST_P(Telemetry, SnapshotCountsParkedLongPolls) {
  ServiceHarness h;
  h.create("orders");
  Pending<ReceiveResult> poll;
  ReceiveOptions options;
  options.wait_ms = 20'000;
  h.service().receive_with_acks("orders", options, poll.callback());
  h.settle();
  Result<MetricsSnapshot> snapshot = await<MetricsSnapshot>([&](auto done) { h.service().snapshot(10, done); });
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot.value().queues.size(), 1u);
  EXPECT_EQ(snapshot.value().queues[0].parked_receives, 1u);
  h.send_one("orders", "wake");
  EXPECT_TRUE(poll.ready(std::chrono::seconds(5)));
}

// Counts every store call that reads or writes messages.
class CountingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  std::atomic<int> message_reads{0};
  std::atomic<int> stats_calls{0};

  LeaseOutcome receive(const QueueRecord& q, const LeaseRequest& r, const LeaseTokenSource& t) override {
    ++message_reads;
    return ForwardingStore::receive(q, r, t);
  }
  std::vector<LeaseOutcome> receive_many(const QueueRecord& q, std::span<const LeaseRequest> r,
                                         const LeaseTokenSource& t) override {
    ++message_reads;
    return ForwardingStore::receive_many(q, r, t);
  }
  std::vector<StoredMessage> peek(std::int64_t q, PeekState s, std::size_t limit, std::int64_t now,
                                  const std::optional<PeekCursor>& after) override {
    ++message_reads;
    return ForwardingStore::peek(q, s, limit, now, after);
  }
  std::optional<FoundMessage> find_message(std::int64_t q, std::int64_t id, std::int64_t now) override {
    ++message_reads;
    return ForwardingStore::find_message(q, id, now);
  }
  std::optional<std::int64_t> next_visible_at(std::int64_t q, std::int64_t now) override {
    ++message_reads;
    return ForwardingStore::next_visible_at(q, now);
  }
  std::int64_t expire(std::int64_t now, std::int64_t limit) override {
    ++message_reads;
    return ForwardingStore::expire(now, limit);
  }
  QueueStats stats(std::int64_t q, std::int64_t now) override {
    ++stats_calls;
    return ForwardingStore::stats(q, now);
  }
};

TEST_P(Telemetry, ASnapshotReadsNoMessageAndOneStatsPerQueueShown) {
  TestDatabase database;
  auto counting = std::make_unique<CountingStore>(storage::open_store({database.url()}));
  CountingStore& store = *counting;
  auto clock = std::make_shared<ManualClock>(1'700'000'000'000);
  ServiceOptions options;
  options.sweep_interval_ms = 3'600'000;  // the retention sweep stays out of the count
  QueueService service(std::move(counting), clock, options);
  service.start();
  for (int q = 0; q < 3; ++q) {
    std::string name = "q" + std::to_string(q);
    ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service.put_queue(name, {}, done); }).ok());
    std::vector<OutgoingMessage> batch(100, message("payload"));
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(await<SendResult>([&](auto done) { service.send(name, batch, done); }).ok());
    }
  }
  const int reads_before = store.message_reads.load();
  const int stats_before = store.stats_calls.load();
  Result<MetricsSnapshot> snapshot = await<MetricsSnapshot>([&](auto done) { service.snapshot(2, done); });
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot.value().queues[0].stats.visible, 500);
  EXPECT_EQ(store.message_reads.load() - reads_before, 0);
  EXPECT_EQ(store.stats_calls.load() - stats_before, 2);  // the queues shown, not the one left out
  service.shutdown();
}

}  // namespace
}  // namespace queue::testing
