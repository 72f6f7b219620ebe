// Retention (periodic sweep, never delivering expired messages) and purge.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Retention);
QUEUE_ENGINE_SUITE(Purge);

AttributesPatch retention(int seconds) {
  AttributesPatch patch;
  patch.retention_s = seconds;
  return patch;
}

TEST_P(Retention, SweepDeletesMessagesOlderThanRetention) {
  ServiceHarness h;
  h.create("q", retention(60));
  h.create("long");
  h.send_one("q", "old");
  h.send_one("long", "kept");
  h.advance_ms(30'000);
  h.send_one("q", "young");
  h.advance_ms(30'001);  // "old" is now 60.001 s old, the sweep (every second) runs
  EXPECT_EQ(h.stats("q").visible, 1);
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"young"}));
  EXPECT_EQ(h.stats("long").visible, 1);
}

TEST_P(Retention, ReceiveNeverReturnsExpiredMessagesEvenBeforeTheSweep) {
  ServiceOptions options;
  options.sweep_interval_ms = 24LL * 3600 * 1000;  // the sweep won't run during this test
  ServiceHarness h(options);
  h.settle();  // the first sweep (at start) has run
  h.create("q", retention(60));
  h.send_one("q", "old");
  h.clock().advance(61'000);
  EXPECT_TRUE(h.receive_ok("q").empty());
  EXPECT_EQ(h.stats("q").visible, 1);  // still stored, never delivered
}

TEST_P(Retention, ExpiredFifoHeadLetsItsGroupMoveOn) {
  ServiceHarness h;
  h.create("q.fifo", retention(60));
  ASSERT_TRUE(h.send("q.fifo", {fifo_message("old", "g")}).ok());
  h.advance_ms(30'000);
  ASSERT_TRUE(h.send("q.fifo", {fifo_message("young", "g")}).ok());
  h.advance_ms(30'001);
  EXPECT_EQ(bodies(h.receive_ok("q.fifo")), (std::vector<std::string>{"young"}));
}

TEST_P(Purge, DeletesEveryMessageInEveryState) {
  ServiceHarness h;
  h.create("q");
  h.create("other");
  OutgoingMessage delayed = message("d");
  delayed.delay_s = 100;
  ASSERT_TRUE(h.send("q", {message("a"), message("b"), delayed}).ok());
  h.send_one("other", "kept");
  auto leased = h.receive_ok("q");
  auto purged = await<PurgeResult>([&](auto done) { h.service().purge("q", std::move(done)); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged.value().purged, 3);
  QueueStats stats = h.stats("q");
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
  EXPECT_EQ(h.ack("q", {leased[0].receipt}).value().acked, 0);
  EXPECT_EQ(h.stats("other").visible, 1);
  auto missing = await<PurgeResult>([&](auto done) { h.service().purge("missing", std::move(done)); });
  EXPECT_EQ(missing.error().code, ErrorCode::queue_not_found);
}

}  // namespace
}  // namespace queue::testing
