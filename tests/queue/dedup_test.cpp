// Deduplication: a dedup_id seen within the window returns the original id.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Dedup);

OutgoingMessage with_dedup(std::string body, std::string dedup_id) {
  OutgoingMessage m = message(std::move(body));
  m.dedup_id = std::move(dedup_id);
  return m;
}

TEST_P(Dedup, RepeatWithinWindowReturnsOriginalIdAndEnqueuesNothing) {
  ServiceHarness h;
  h.create("q");  // window 300 s by default
  auto first = h.send("q", {with_dedup("a", "order-1")});
  h.advance_ms(299'000);
  auto repeat = h.send("q", {with_dedup("a again", "order-1")});
  ASSERT_TRUE(first.ok() && repeat.ok());
  EXPECT_EQ(first.value().ids, repeat.value().ids);
  EXPECT_EQ(h.stats("q").visible, 1);
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"a"}));
}

TEST_P(Dedup, WorksWithinOneBatch) {
  ServiceHarness h;
  h.create("q");
  auto sent = h.send("q", {with_dedup("a", "k"), with_dedup("b", "k"), with_dedup("c", "other")});
  ASSERT_TRUE(sent.ok());
  auto ids = sent.value().ids;
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_NE(ids[0], ids[2]);
  EXPECT_EQ(h.stats("q").visible, 2);
}

TEST_P(Dedup, AfterTheWindowTheSameIdEnqueuesAgain) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.dedup_window_s = 60;
  h.create("q", patch);
  auto first = h.send("q", {with_dedup("a", "k")}).value().ids[0];
  h.advance_ms(60'000);
  auto second = h.send("q", {with_dedup("b", "k")}).value().ids[0];
  EXPECT_NE(first, second);
  EXPECT_EQ(h.stats("q").visible, 2);
  // ... and the new send opens a new window.
  EXPECT_EQ(h.send("q", {with_dedup("c", "k")}).value().ids[0], second);
}

TEST_P(Dedup, IsPerQueueAndStillAppliesAfterTheOriginalWasAcked) {
  ServiceHarness h;
  h.create("a");
  h.create("b");
  auto in_a = h.send("a", {with_dedup("x", "k")}).value().ids[0];
  auto in_b = h.send("b", {with_dedup("x", "k")}).value().ids[0];
  EXPECT_NE(in_a, in_b);
  auto got = h.receive_ok("a");
  h.ack("a", {got[0].receipt});
  EXPECT_EQ(h.send("a", {with_dedup("x", "k")}).value().ids[0], in_a);
  EXPECT_EQ(h.stats("a").visible, 0);
}

TEST_P(Dedup, WindowZeroTurnsItOff) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.dedup_window_s = 0;
  h.create("q", patch);
  auto sent = h.send("q", {with_dedup("a", "k"), with_dedup("b", "k")}).value().ids;
  EXPECT_NE(sent[0], sent[1]);
}

}  // namespace
}  // namespace queue::testing
