// Long polling: parked receives answered by a send, a delay or lease ending, their
// deadline, cancellation or shutdown; never by spinning.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(LongPoll);

using Messages = std::vector<ReceivedMessage>;

ReceiveHandle start_wait(ServiceHarness& h, Pending<Messages>& pending, const std::string& queue,
                         int wait_ms = 20'000, int max = 1) {
  ReceiveOptions options;
  options.wait_ms = wait_ms;
  options.max = max;
  return h.service().receive(queue, options, pending.callback());
}

TEST_P(LongPoll, SendWakesAParkedReceiveAtOnce) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.settle();
  EXPECT_FALSE(waiting.ready());
  h.send_one("q", "hello");  // no clock movement: the send alone wakes it
  auto got = waiting.get();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(bodies(got.value()), (std::vector<std::string>{"hello"}));
  EXPECT_EQ(h.stats("q").in_flight, 1);
}

TEST_P(LongPoll, SendToAnotherQueueDoesNotAnswer) {
  ServiceHarness h;
  h.create("q");
  h.create("other");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.send_one("other", "x");
  h.settle();
  EXPECT_FALSE(waiting.ready());
  h.send_one("q", "y");
  EXPECT_EQ(bodies(waiting.get().value()), (std::vector<std::string>{"y"}));
}

TEST_P(LongPoll, DelayEndingWakesAParkedReceive) {
  ServiceHarness h;
  h.create("q");
  OutgoingMessage delayed = message("later");
  delayed.delay_s = 5;
  h.send("q", {delayed});
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.advance_ms(4'999);
  EXPECT_FALSE(waiting.ready());
  h.clock().advance(1);
  h.service().nudge();
  EXPECT_EQ(bodies(waiting.get().value()), (std::vector<std::string>{"later"}));
}

TEST_P(LongPoll, LeaseExpiringWakesAParkedReceive) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  h.create("q", patch);
  h.send_one("q", "x");
  ASSERT_EQ(h.receive_ok("q").size(), 1u);
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.advance_ms(9'000);
  EXPECT_FALSE(waiting.ready());
  h.advance_ms(1'000);
  auto got = waiting.get();
  ASSERT_EQ(got.value().size(), 1u);
  EXPECT_EQ(got.value()[0].receive_count, 2);
}

TEST_P(LongPoll, ReleasedMessageWakesAParkedReceive) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.settle();
  EXPECT_FALSE(waiting.ready());
  h.change_visibility("q", {held[0].receipt}, 0);
  EXPECT_EQ(waiting.get().value().size(), 1u);
}

TEST_P(LongPoll, TimesOutWithAnEmptyList) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q", 1'000);
  h.advance_ms(999);
  EXPECT_FALSE(waiting.ready());
  h.advance_ms(1);
  auto got = waiting.get();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got.value().empty());
}

TEST_P(LongPoll, CancelAnswersEmptyAndLeasesNothing) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> waiting;
  ReceiveHandle handle = start_wait(h, waiting, "q");
  h.settle();
  handle.cancel();
  auto got = waiting.get();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got.value().empty());
  h.send_one("q", "x");
  EXPECT_EQ(h.stats("q").visible, 1);
  handle.cancel();  // idempotent
}

TEST_P(LongPoll, ShutdownAnswersParkedReceivesEmpty) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.settle();
  h.service().shutdown();
  auto got = waiting.get();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got.value().empty());
  // After shutdown, calls are refused at once.
  auto refused = h.get("q");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
}

TEST_P(LongPoll, LongestWaitingReceiveGetsTheMessageFirst) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> first;
  Pending<Messages> second;
  start_wait(h, first, "q");
  h.settle();
  start_wait(h, second, "q");
  h.settle();
  h.send_one("q", "one");
  EXPECT_EQ(bodies(first.get().value()), (std::vector<std::string>{"one"}));
  h.settle();
  EXPECT_FALSE(second.ready());
  h.send_one("q", "two");
  EXPECT_EQ(bodies(second.get().value()), (std::vector<std::string>{"two"}));
}

TEST_P(LongPoll, DeletedQueueAnswersItsWaitersNotFound) {
  ServiceHarness h;
  h.create("q");
  Pending<Messages> waiting;
  start_wait(h, waiting, "q");
  h.settle();
  ASSERT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("q", std::move(done)); }).ok());
  auto got = waiting.get();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::queue_not_found);
}

TEST_P(LongPoll, WorksWithTheSystemClock) {
  TestDatabase database;
  auto service = std::make_unique<QueueService>(storage::open_store({database.url()}),
                                                std::make_shared<SystemClock>());
  service->start();
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service->put_queue("q", {}, std::move(done)); }).ok());
  ReceiveOptions options;
  options.wait_ms = 50;
  // Times out by itself in real time (well within the harness bound).
  auto empty = await<Messages>([&](auto done) { service->receive("q", options, std::move(done)); });
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value().empty());
  service->shutdown();
}

}  // namespace
}  // namespace queue::testing
