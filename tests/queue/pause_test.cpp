// Pausing a queue (every engine): sends are accepted, receives answer nothing and long
// polls wait, resuming wakes them, and the attribute survives a restart.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Pause);

using Messages = std::vector<ReceivedMessage>;

AttributesPatch paused(bool value) {
  AttributesPatch patch;
  patch.paused = value;
  return patch;
}

TEST_P(Pause, PausedQueueAcceptsSendsAndAnswersReceivesWithNothing) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "before");
  ASSERT_TRUE(h.put("q", paused(true)).ok());
  EXPECT_TRUE(h.get("q").value().attributes.paused);
  h.send_one("q", "during");
  EXPECT_TRUE(h.receive_ok("q", 10).empty());
  EXPECT_EQ(h.stats("q").visible, 2);  // nothing was leased
  EXPECT_EQ(h.stats("q").in_flight, 0);

  ASSERT_TRUE(h.put("q", paused(false)).ok());
  EXPECT_FALSE(h.get("q").value().attributes.paused);
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"before", "during"}));
}

TEST_P(Pause, LeasesTakenBeforeThePauseCanStillBeAcked) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(h.put("q", paused(true)).ok());
  EXPECT_EQ(h.ack("q", {held[0].receipt}).value().acked, 1);
  EXPECT_EQ(h.stats("q").in_flight, 0);
}

TEST_P(Pause, LongPollOnAPausedQueueWaitsItsTimeThenAnswersEmpty) {
  ServiceHarness h;
  h.create("q", paused(true));
  h.send_one("q", "x");
  Pending<Messages> waiting;
  ReceiveOptions options;
  options.wait_ms = 2'000;
  h.service().receive("q", options, waiting.callback());
  h.advance_ms(1'999);
  EXPECT_FALSE(waiting.ready());  // a paused queue never makes consumers spin
  h.advance_ms(1);
  ASSERT_TRUE(waiting.get().ok());
  EXPECT_TRUE(waiting.get().value().empty());
  EXPECT_EQ(h.stats("q").visible, 1);
}

TEST_P(Pause, ResumingWakesAParkedReceiveAtOnce) {
  ServiceHarness h;
  h.create("q", paused(true));
  h.send_one("q", "x");
  Pending<Messages> waiting;
  ReceiveOptions options;
  options.wait_ms = 20'000;
  h.service().receive("q", options, waiting.callback());
  h.settle();
  EXPECT_FALSE(waiting.ready());
  ASSERT_TRUE(h.put("q", paused(false)).ok());  // no clock movement: resuming alone wakes it
  EXPECT_EQ(bodies(waiting.get().value()), (std::vector<std::string>{"x"}));
}

TEST_P(Pause, PutWithoutPausedLeavesItAsItIs) {
  ServiceHarness h;
  h.create("q", paused(true));
  AttributesPatch patch;
  patch.visibility_timeout_s = 45;
  ASSERT_TRUE(h.put("q", patch).ok());
  EXPECT_TRUE(h.get("q").value().attributes.paused);
}

TEST_P(Pause, PausedSurvivesARestart) {
  ServiceHarness h({}, /*persistent=*/true);
  h.create("q", paused(true));
  h.create("other");
  h.send_one("q", "x");
  h.restart_service();
  EXPECT_TRUE(h.get("q").value().attributes.paused);
  EXPECT_FALSE(h.get("other").value().attributes.paused);
  EXPECT_TRUE(h.receive_ok("q").empty());
  ASSERT_TRUE(h.put("q", paused(false)).ok());
  h.restart_service();
  EXPECT_FALSE(h.get("q").value().attributes.paused);
  EXPECT_EQ(bodies(h.receive_ok("q")), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace queue::testing
