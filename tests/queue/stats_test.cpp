// Queue stats on every engine: the counts each engine keeps with its commits
// (SQLite's queue_counts, PostgreSQL's folded deltas, the log's index) must follow
// every way a message arrives, changes state or leaves, and survive the sweep that
// folds PostgreSQL's deltas.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Stats);

struct Counts {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;
  bool operator==(const Counts&) const = default;
};

void PrintTo(const Counts& c, std::ostream* out) {
  *out << "{visible " << c.visible << ", in_flight " << c.in_flight << ", delayed " << c.delayed << "}";
}

Counts counts(ServiceHarness& h, const std::string& queue) {
  QueueStats stats = h.stats(queue);
  return Counts{stats.visible, stats.in_flight, stats.delayed};
}

std::vector<OutgoingMessage> messages(int n, const std::string& prefix) {
  std::vector<OutgoingMessage> out;
  for (int i = 0; i < n; ++i) out.push_back(message(prefix + std::to_string(i)));
  return out;
}

Result<RedriveResult> redrive(ServiceHarness& h, const std::string& queue) {
  return await<RedriveResult>([&](auto done) { h.service().redrive(queue, RedriveRequest{}, std::move(done)); });
}

TEST_P(Stats, FollowSendsLeasesAcksDelaysMovesRedrivePurgeAndDelete) {
  ServiceHarness h;
  h.create("dlq");
  AttributesPatch work;
  work.visibility_timeout_s = 10;
  work.dead_letter = DeadLetterPolicy{"dlq", 1};
  h.create("work", work);

  ASSERT_TRUE(h.send("work", messages(5, "m")).ok());
  OutgoingMessage later = message("later");
  later.delay_s = 30;
  ASSERT_TRUE(h.send("work", {later}).ok());
  EXPECT_EQ(counts(h, "work"), (Counts{5, 0, 1}));

  auto leased = h.receive_ok("work", 2);
  ASSERT_EQ(leased.size(), 2u);
  EXPECT_EQ(counts(h, "work"), (Counts{3, 2, 1}));
  ASSERT_EQ(h.ack("work", {leased[0].receipt}).value().acked, 1);
  EXPECT_EQ(counts(h, "work"), (Counts{3, 1, 1}));

  // The lease of leased[1] runs out (a sweep runs meanwhile): receivable again,
  // then moved to the dead-letter queue by its next receive.
  h.advance_ms(10'000);
  EXPECT_EQ(counts(h, "work"), (Counts{4, 0, 1}));
  auto rest = h.receive_ok("work", 10);
  EXPECT_EQ(rest.size(), 3u);  // the fourth was received before: dead-lettered
  EXPECT_EQ(counts(h, "work"), (Counts{0, 3, 1}));
  EXPECT_EQ(counts(h, "dlq"), (Counts{1, 0, 0}));

  ASSERT_EQ(redrive(h, "dlq").value().moved, 1);
  EXPECT_EQ(counts(h, "dlq"), (Counts{0, 0, 0}));
  EXPECT_EQ(counts(h, "work"), (Counts{1, 3, 1}));

  h.advance_ms(30'000);  // the delay ends and the leases expire; more sweeps
  EXPECT_EQ(counts(h, "work"), (Counts{5, 0, 0}));

  auto purged = await<PurgeResult>([&](auto done) { h.service().purge("work", std::move(done)); });
  ASSERT_EQ(purged.value().purged, 5);
  EXPECT_EQ(counts(h, "work"), (Counts{0, 0, 0}));
  ASSERT_TRUE(h.send("work", messages(2, "n")).ok());
  EXPECT_EQ(counts(h, "work"), (Counts{2, 0, 0}));

  // A queue deleted and created again under its name starts from nothing.
  ASSERT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("work", std::move(done)); }).ok());
  h.create("work");
  EXPECT_EQ(counts(h, "work"), (Counts{0, 0, 0}));
  EXPECT_EQ(h.stats("work").oldest_age_s, 0);
  ASSERT_TRUE(h.send("work", messages(3, "r")).ok());
  h.advance_ms(2'000);
  EXPECT_EQ(counts(h, "work"), (Counts{3, 0, 0}));
  EXPECT_EQ(h.stats("work").oldest_age_s, 2);
}

TEST_P(Stats, FifoMessagesBehindTheirHeadAreVisibleAndDelayedOnesDelayed) {
  ServiceHarness h;
  h.create("q.fifo");
  OutgoingMessage delayed = fifo_message("d", "h");
  delayed.delay_s = 60;
  ASSERT_TRUE(h.send("q.fifo", {fifo_message("1", "g"), fifo_message("2", "g"), fifo_message("3", "g"), delayed,
                                fifo_message("e", "h")})
                  .ok());
  EXPECT_EQ(counts(h, "q.fifo"), (Counts{4, 0, 1}));
  auto head = h.receive_ok("q.fifo", 10);
  ASSERT_EQ(head.size(), 1u);  // "g"'s head; "h" waits for its delayed head
  EXPECT_EQ(counts(h, "q.fifo"), (Counts{3, 1, 1}));
  ASSERT_EQ(h.ack("q.fifo", {head[0].receipt}).value().acked, 1);
  EXPECT_EQ(counts(h, "q.fifo"), (Counts{3, 0, 1}));
}

TEST_P(Stats, StayRightAcrossManySweeps) {
  ServiceHarness h;
  h.create("q");
  std::int64_t expected = 0;
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(h.send("q", messages(7, "m")).ok());
    expected += 7;
    auto got = h.receive_ok("q", 3);
    std::vector<std::string> receipts;
    for (const auto& m : got) receipts.push_back(m.receipt);
    ASSERT_EQ(h.ack("q", receipts).value().acked, 3);
    expected -= 3;
    if (round % 3 == 0) h.advance_ms(1'000);  // a sweep (PostgreSQL: a fold) between some rounds
    ASSERT_EQ(counts(h, "q"), (Counts{expected, 0, 0})) << "round " << round;
  }
}

}  // namespace
}  // namespace queue::testing
