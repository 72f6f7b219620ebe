// Leases: visibility timeouts, strict receipts, releases, extensions, delays, counts.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Leases);

AttributesPatch visibility(int seconds) {
  AttributesPatch patch;
  patch.visibility_timeout_s = seconds;
  return patch;
}

TEST_P(Leases, ReceivedMessageIsHiddenUntilItsLeaseExpires) {
  ServiceHarness h;
  h.create("q", visibility(30));
  std::string id = h.send_one("q", "hello");

  auto first = h.receive_ok("q");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, id);
  EXPECT_EQ(first[0].body, "hello");
  EXPECT_EQ(first[0].receive_count, 1);
  EXPECT_EQ(first[0].sent_at_ms, h.clock().now_ms());
  EXPECT_TRUE(h.receive_ok("q").empty());
  EXPECT_EQ(h.stats("q").in_flight, 1);

  h.advance_ms(29'999);
  EXPECT_TRUE(h.receive_ok("q").empty());
  h.advance_ms(1);
  auto again = h.receive_ok("q");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, id);
  EXPECT_EQ(again[0].receive_count, 2);
  EXPECT_NE(again[0].receipt, first[0].receipt);
}

TEST_P(Leases, AckDeletesTheMessageForGood) {
  ServiceHarness h;
  h.create("q", visibility(10));
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  auto acked = h.ack("q", {got[0].receipt});
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked.value().acked, 1);
  EXPECT_TRUE(acked.value().failed.empty());
  h.advance_ms(60'000);
  EXPECT_TRUE(h.receive_ok("q").empty());
  EXPECT_EQ(h.stats("q").visible + h.stats("q").in_flight, 0);
}

TEST_P(Leases, ReceiptIsStaleAfterItsLeaseExpiredEvenBeforeRedelivery) {
  ServiceHarness h;
  h.create("q", visibility(10));
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  h.advance_ms(10'000);
  auto acked = h.ack("q", {got[0].receipt});
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked.value().acked, 0);
  ASSERT_EQ(acked.value().failed.size(), 1u);
  EXPECT_EQ(acked.value().failed[0].receipt, got[0].receipt);
  EXPECT_EQ(acked.value().failed[0].code, ErrorCode::receipt_invalid);
  EXPECT_EQ(h.change_visibility("q", {got[0].receipt}, 30).value().updated, 0);
  EXPECT_EQ(h.receive_ok("q").size(), 1u);  // still there
}

TEST_P(Leases, ReceiptIsStaleAfterTheMessageWasReceivedAgain) {
  ServiceHarness h;
  h.create("q", visibility(10));
  h.send_one("q", "x");
  auto first = h.receive_ok("q");
  h.advance_ms(10'000);
  auto second = h.receive_ok("q");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(h.ack("q", {first[0].receipt}).value().failed.size(), 1u);
  EXPECT_EQ(h.stats("q").in_flight, 1);  // the second consumer still holds it
  EXPECT_EQ(h.ack("q", {second[0].receipt}).value().acked, 1);
}

TEST_P(Leases, ReceiptIsStaleAfterAck) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  EXPECT_EQ(h.ack("q", {got[0].receipt}).value().acked, 1);
  auto twice = h.ack("q", {got[0].receipt});
  EXPECT_EQ(twice.value().acked, 0);
  EXPECT_EQ(twice.value().failed.size(), 1u);
}

TEST_P(Leases, MalformedOrForgedReceiptsFailOneByOne) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  std::string forged = got[0].receipt;
  forged.back() = forged.back() == '0' ? '1' : '0';
  auto result = h.ack("q", {"garbage", forged, got[0].receipt});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().acked, 1);
  ASSERT_EQ(result.value().failed.size(), 2u);
  EXPECT_EQ(result.value().failed[0].receipt, "garbage");
  EXPECT_EQ(result.value().failed[1].receipt, forged);
}

TEST_P(Leases, ReceiptOfAnotherQueueIsInvalid) {
  ServiceHarness h;
  h.create("a");
  h.create("b");
  h.send_one("a", "x");
  auto got = h.receive_ok("a");
  EXPECT_EQ(h.ack("b", {got[0].receipt}).value().acked, 0);
  EXPECT_EQ(h.ack("a", {got[0].receipt}).value().acked, 1);
}

TEST_P(Leases, VisibilityZeroReleasesAtOnceAndStalesTheReceipt) {
  ServiceHarness h;
  h.create("q", visibility(30));
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  auto released = h.change_visibility("q", {got[0].receipt}, 0);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released.value().updated, 1);
  EXPECT_EQ(h.stats("q").visible, 1);
  EXPECT_EQ(h.stats("q").in_flight, 0);
  EXPECT_EQ(h.ack("q", {got[0].receipt}).value().acked, 0);
  auto again = h.receive_ok("q");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_P(Leases, ExtendingTheLeaseKeepsTheReceiptValid) {
  ServiceHarness h;
  h.create("q", visibility(10));
  h.send_one("q", "x");
  auto got = h.receive_ok("q");
  h.advance_ms(9'000);
  EXPECT_EQ(h.change_visibility("q", {got[0].receipt}, 60).value().updated, 1);
  h.advance_ms(30'000);
  EXPECT_TRUE(h.receive_ok("q").empty());
  EXPECT_EQ(h.ack("q", {got[0].receipt}).value().acked, 1);
}

TEST_P(Leases, ReceiveVisibilityOverridesTheQueueDefault) {
  ServiceHarness h;
  h.create("q", visibility(300));
  h.send_one("q", "x");
  h.receive_ok("q", 1, 5);
  h.advance_ms(5'000);
  EXPECT_EQ(h.receive_ok("q").size(), 1u);
}

TEST_P(Leases, ReceiveWithVisibilityZeroDeliversOncePerCall) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto got = h.receive_ok("q", 10, 0);
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(h.receive_ok("q", 10, 0).size(), 1u);  // visible again at once
}

TEST_P(Leases, ReceiveReturnsUpToMaxInSendOrder) {
  ServiceHarness h;
  h.create("q");
  for (int i = 0; i < 5; ++i) h.send_one("q", "m" + std::to_string(i));
  EXPECT_EQ(bodies(h.receive_ok("q", 3)), (std::vector<std::string>{"m0", "m1", "m2"}));
  EXPECT_EQ(bodies(h.receive_ok("q", 3)), (std::vector<std::string>{"m3", "m4"}));
}

TEST_P(Leases, DelayedMessageAppearsWhenItsDelayPasses) {
  ServiceHarness h;
  h.create("q");
  OutgoingMessage delayed = message("later");
  delayed.delay_s = 5;
  ASSERT_TRUE(h.send("q", {delayed, message("now")}).ok());
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"now"}));
  EXPECT_EQ(h.stats("q").delayed, 1);
  h.advance_ms(4'999);
  EXPECT_TRUE(h.receive_ok("q").empty());
  h.advance_ms(1);
  EXPECT_EQ(bodies(h.receive_ok("q")), (std::vector<std::string>{"later"}));
}

TEST_P(Leases, QueueDelayAppliesWhenTheMessageHasNone) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.delay_s = 2;
  h.create("q", patch);
  h.send_one("q", "x");
  OutgoingMessage immediate = message("y");
  immediate.delay_s = 0;
  ASSERT_TRUE(h.send("q", {immediate}).ok());
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"y"}));
  h.advance_ms(2'000);
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"x"}));
}

TEST_P(Leases, AttributesRoundTrip) {
  ServiceHarness h;
  h.create("q");
  OutgoingMessage m = message("{\"k\":1}");
  m.attributes = {{"trace", "abc"}, {"ünï", "cødé"}};
  ASSERT_TRUE(h.send("q", {m}).ok());
  auto got = h.receive_ok("q");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attributes, m.attributes);
  EXPECT_EQ(got[0].body, m.body);
  EXPECT_FALSE(got[0].group_id);
}

TEST_P(Leases, StatsCountEachState) {
  ServiceHarness h;
  h.create("q");
  OutgoingMessage delayed = message("d");
  delayed.delay_s = 60;
  ASSERT_TRUE(h.send("q", {message("a"), message("b"), message("c"), delayed}).ok());
  h.receive_ok("q");
  h.advance_ms(7'000);
  QueueStats stats = h.stats("q");
  EXPECT_EQ(stats.visible, 2);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.delayed, 1);
  EXPECT_EQ(stats.oldest_age_s, 7);
}

TEST_P(Leases, PeekShowsEachStateWithoutChangingIt) {
  ServiceHarness h;
  h.create("q");
  OutgoingMessage delayed = message("d");
  delayed.delay_s = 60;
  ASSERT_TRUE(h.send("q", {message("a"), message("b"), delayed}).ok());
  h.receive_ok("q");
  auto visible = h.peek("q", PeekState::visible);
  auto in_flight = h.peek("q", PeekState::in_flight);
  auto later = h.peek("q", PeekState::delayed);
  ASSERT_TRUE(visible.ok() && in_flight.ok() && later.ok());
  ASSERT_EQ(visible.value().size(), 1u);
  EXPECT_EQ(visible.value()[0].body, "b");
  ASSERT_EQ(in_flight.value().size(), 1u);
  EXPECT_EQ(in_flight.value()[0].body, "a");
  EXPECT_EQ(in_flight.value()[0].receive_count, 1);
  ASSERT_EQ(later.value().size(), 1u);
  EXPECT_EQ(later.value()[0].body, "d");
  // Peeking twice changes nothing.
  EXPECT_EQ(h.peek("q", PeekState::visible).value().size(), 1u);
  EXPECT_EQ(h.stats("q").visible, 1);
  EXPECT_EQ(h.peek("q", PeekState::visible, 1).value().size(), 1u);
}

}  // namespace
}  // namespace queue::testing
