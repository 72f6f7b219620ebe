// Who runs a batch (service.h): a light operation posted to an idle engine runs on
// the posting thread, inside the call; heavy work, and everything when the option is
// off, runs on the engine thread; callbacks may call the service again; a receive
// parked by a caller's turn still meets its deadline and its wake-up.
#include <atomic>
#include <thread>

#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(CallerTurns);

// The thread a send's callback ran on. The calling thread waits for the answer
// only after send() returns, so an answer on it was given inside the call.
std::thread::id send_and_see_where(ServiceHarness& h, const std::string& body) {
  std::thread::id answered_on;
  Pending<SendResult> pending;
  h.service().send("q", {message(body)}, [&answered_on, done = pending.callback()](Result<SendResult> result) {
    answered_on = std::this_thread::get_id();
    done(std::move(result));
  });
  EXPECT_TRUE(pending.get().ok());
  return answered_on;
}

// The engine thread wakes at least once a second to look at the clock, and a send
// arriving during that turn joins it; so the test asks for most sends inline, not all.
TEST_P(CallerTurns, LightOperationOnAnIdleEngineIsAnsweredInsideTheCall) {
  ServiceHarness h;
  h.create("q");
  int inline_answers = 0;
  for (int i = 0; i < 20; ++i) {
    if (send_and_see_where(h, "m" + std::to_string(i)) == std::this_thread::get_id()) ++inline_answers;
  }
  EXPECT_GE(inline_answers, 15);
  EXPECT_EQ(h.stats("q").visible, 20);
}

TEST_P(CallerTurns, OffMeansEveryBatchRunsOnTheEngineThread) {
  ServiceOptions options;
  options.callers_run_batches = false;
  ServiceHarness h(options);
  h.create("q");
  for (int i = 0; i < 10; ++i) EXPECT_NE(send_and_see_where(h, "m" + std::to_string(i)), std::this_thread::get_id());
}

TEST_P(CallerTurns, HeavyOperationsRunOnTheEngineThread) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "a");
  Pending<PurgeResult> purged;
  std::thread::id purged_on;
  h.service().purge("q", [&purged_on, done = purged.callback()](Result<PurgeResult> result) {
    purged_on = std::this_thread::get_id();
    done(std::move(result));
  });
  ASSERT_TRUE(purged.get().ok());
  EXPECT_NE(purged_on, std::this_thread::get_id());
  EXPECT_EQ(h.stats("q").visible, 0);
}

TEST_P(CallerTurns, CallbackMayCallTheServiceAgain) {
  ServiceHarness h;
  h.create("q");
  Pending<SendResult> first;
  Pending<SendResult> second;
  h.service().send("q", {message("first")},
                   [&h, done_first = first.callback(), done_second = second.callback()](Result<SendResult> result) {
                     // Inside a turn: this send joins a later batch instead of nesting one.
                     h.service().send("q", {message("second")}, done_second);
                     done_first(std::move(result));
                   });
  ASSERT_TRUE(first.get().ok());
  ASSERT_TRUE(second.get().ok());
  auto received = h.receive_ok("q", 10);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].body, "first");
  EXPECT_EQ(received[1].body, "second");
}

// A receive that finds nothing, parked by a turn on this thread: the engine thread
// must still answer it when a send arrives (also run here) and at its deadline.
TEST_P(CallerTurns, ReceiveParkedByACallerTurnIsWokenBySendAndByItsDeadline) {
  ServiceHarness h;
  h.create("q");
  ReceiveOptions waiting;
  waiting.wait_ms = 20'000;

  Pending<std::vector<ReceivedMessage>> woken_by_send;
  h.service().receive("q", waiting, woken_by_send.callback());
  h.settle();
  EXPECT_FALSE(woken_by_send.ready());
  h.service().send("q", {message("hello")}, [](Result<SendResult>) {});
  auto delivered = woken_by_send.get();
  ASSERT_TRUE(delivered.ok());
  ASSERT_EQ(delivered.value().size(), 1u);
  EXPECT_EQ(delivered.value()[0].body, "hello");

  Pending<std::vector<ReceivedMessage>> timed_out;
  h.service().receive("q", waiting, timed_out.callback());
  h.settle();
  EXPECT_FALSE(timed_out.ready());
  h.advance_ms(20'000);
  auto empty = timed_out.get();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().empty());
}

}  // namespace
}  // namespace queue::testing
