// The Worker over a FakeQueueClient: time is a ManualClock, the heartbeat ticks every
// 2 ms of real time, and every wait is bounded.
#include "queue/worker/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "tests/worker/test_support.h"

namespace queue::worker::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class WorkerTest : public ::testing::Test {
 protected:
  WorkerOptions options(int concurrency = 2) {
    WorkerOptions result;
    result.concurrency = concurrency;
    result.clock = clock;
    result.heartbeat_interval = milliseconds(2);
    result.random = [] { return 0.5; };
    result.retry_backoff = BackoffPolicy{seconds(10), seconds(600)};
    result.hooks.on_started = [this](const Job&) { ++started; };
    result.hooks.on_succeeded = [this](const Job&) { ++succeeded_hooks; };
    result.hooks.on_lease_lost = [this](const Job&) { ++lease_lost_hooks; };
    return result;
  }

  bool eventually(const std::function<bool()>& ready) { return fake->wait_until(ready); }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<FakeQueueClient> fake = std::make_shared<FakeQueueClient>(clock);
  std::atomic<int> started{0};
  std::atomic<int> succeeded_hooks{0};
  std::atomic<int> lease_lost_hooks{0};
};

TEST_F(WorkerTest, AcksWhatItsHandlersAck) {
  for (int i = 0; i < 5; ++i) fake->push("job " + std::to_string(i));
  Worker worker(fake, "q", [](const Job&) { return Outcome::ack(); }, options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 5; }));
  worker.stop();

  const WorkerCounters counters = worker.counters();
  EXPECT_EQ(counters.received, 5u);
  EXPECT_EQ(counters.failed + counters.retried + counters.lease_lost, 0u);
  EXPECT_EQ(counters.in_flight, 0u);
  EXPECT_EQ(started.load(), 5);
  EXPECT_EQ(succeeded_hooks.load(), 5);
  EXPECT_EQ(fake->remaining(), 0u);
}

TEST_F(WorkerTest, NeverPrefetchesMoreThanItsFreeSlots) {
  Gate gate;
  for (int i = 0; i < 10; ++i) fake->push("job");
  Worker worker(fake, "q", [&](const Job&) {
    gate.wait();
    return Outcome::ack();
  }, options(3));
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 3; }));
  std::this_thread::sleep_for(milliseconds(20));  // a chance to misbehave
  ASSERT_EQ(fake->receive_calls().size(), 1u) << "no receive while every slot is busy";
  EXPECT_EQ(fake->receive_calls()[0].request.max, 3);
  EXPECT_EQ(worker.counters().in_flight, 3u);

  gate.open();
  ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 10; }));
  worker.stop();
  for (const auto& call : fake->receive_calls()) {
    EXPECT_LE(call.request.max, 3);
    EXPECT_EQ(call.request.wait_s, 20);
    EXPECT_GE(call.deadline_in, seconds(20)) << "the deadline leaves the long poll its whole wait";
    EXPECT_EQ(call.request.visibility_timeout_s, 30) << "the queue's, read once";
  }
  EXPECT_EQ(fake->get_queue_calls(), 1);
}

TEST_F(WorkerTest, AskedVisibilityTimeoutNeedsNoQueueLookup) {
  WorkerOptions asked = options();
  asked.visibility_timeout_s = 90;
  asked.wait_s = 5;
  fake->push("job");
  Worker worker(fake, "q", [](const Job&) { return Outcome::ack(); }, asked);
  worker.start();
  ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 1; }));
  worker.stop();
  EXPECT_EQ(fake->get_queue_calls(), 0);
  EXPECT_EQ(fake->receive_calls()[0].request.visibility_timeout_s, 90);
  EXPECT_EQ(fake->receive_calls()[0].request.wait_s, 5);
}

TEST_F(WorkerTest, AThrowingHandlerIsRetriedAfterTheBackoff) {
  std::atomic<int> failures{0};
  std::atomic<long long> delay_s{-1};
  WorkerOptions throwing = options();
  throwing.hooks.on_failed = [&](const Job&, const Failure& failure) {
    if (failure.exception) ++failures;
    delay_s = failure.retry_delay.count();
  };
  const std::string id = fake->push("poison", 2);  // its third delivery
  Worker worker(fake, "q", [](const Job&) -> Outcome { throw std::runtime_error("boom"); }, throwing);
  worker.start();
  ASSERT_TRUE(eventually([&] { return worker.counters().retried == 1; }));
  worker.stop();

  // Ceiling 10 s * 2^(3-1) = 40 s, jitter 0.5: 20 s.
  auto calls = fake->visibility_calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].timeout_s, 20);
  EXPECT_EQ(calls[0].receipts, std::vector<std::string>{fake->receipt_of(id)});
  EXPECT_EQ(worker.counters().failed, 1u);
  EXPECT_EQ(worker.counters().succeeded, 0u);
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(delay_s.load(), 20);
  EXPECT_EQ(fake->remaining(), 1u);
  EXPECT_FALSE(fake->visible_now(id));
}

TEST_F(WorkerTest, RetryAfterHandsTheMessageBackForExactlyThatLong) {
  fake->push("later");
  Worker worker(fake, "q", [](const Job&) { return Outcome::retry_after(seconds(7)); }, options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return worker.counters().retried == 1; }));
  worker.stop();
  ASSERT_EQ(fake->visibility_calls().size(), 1u);
  EXPECT_EQ(fake->visibility_calls()[0].timeout_s, 7);
  EXPECT_EQ(worker.counters().failed, 0u);
}

TEST_F(WorkerTest, ALongHandlerKeepsItsLeaseThroughTheHeartbeat) {
  Gate gate;
  fake->push("long");
  Worker worker(fake, "q", [&](const Job&) {
    gate.wait();
    return Outcome::ack();
  }, options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  for (int i = 0; i < 3; ++i) {  // 63 s of a 30 s lease
    const std::size_t before = fake->visibility_calls().size();
    fake->advance(seconds(21));
    ASSERT_TRUE(eventually([&] { return fake->visibility_calls().size() == before + 1; }));
  }
  gate.open();
  ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 1; }));
  EXPECT_EQ(worker.counters().lease_lost, 0u);
  EXPECT_EQ(fake->remaining(), 0u);
}

TEST_F(WorkerTest, ALostLeaseFiresTheStopTokenAndDropsTheOutcome) {
  std::atomic<StopReason> reason{StopReason::none};
  const std::string id = fake->push("stolen");
  Worker worker(fake, "q", [&](const Job& job) {
    wait_for_stop(job.stop_token());
    reason = job.stop_reason();
    return Outcome::ack();  // too late: must not be sent
  }, options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  fake->steal_lease(id);
  fake->advance(seconds(21));  // the heartbeat's extension is refused
  ASSERT_TRUE(eventually([&] { return worker.counters().lease_lost == 1 && worker.counters().in_flight == 0; }));
  ASSERT_TRUE(eventually([&] { return reason.load() != StopReason::none; }));
  worker.stop();

  EXPECT_EQ(reason.load(), StopReason::lease_lost);
  EXPECT_TRUE(fake->ack_calls().empty());
  EXPECT_EQ(worker.counters().succeeded, 0u);
  EXPECT_EQ(lease_lost_hooks.load(), 1);
}

TEST_F(WorkerTest, ALateAckRefusedIsLeaseLostNeverSuccess) {
  Gate gate;
  const std::string id = fake->push("slow");
  Worker worker(fake, "q", [&](const Job&) {
    gate.wait();
    return Outcome::ack();
  }, options());
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  fake->steal_lease(id);  // no tick notices: nothing is due for extension
  gate.open();
  ASSERT_TRUE(eventually([&] { return worker.counters().lease_lost == 1; }));
  worker.stop();

  EXPECT_EQ(fake->ack_calls().size(), 1u);
  EXPECT_EQ(worker.counters().succeeded, 0u);
  EXPECT_EQ(succeeded_hooks.load(), 0);
  EXPECT_EQ(lease_lost_hooks.load(), 1);
}

TEST_F(WorkerTest, ALeaseThatRunsOutUnextendedIsLostAndOnlyTheRedeliveryIsAcked) {
  std::atomic<StopReason> reason{StopReason::none};
  const std::string id = fake->push("job");
  fake->fail_visibility(error(contract::ErrorCode::unavailable));
  Worker worker(fake, "q", [&](const Job& job) {
    if (job.receive_count() > 1) return Outcome::ack();
    wait_for_stop(job.stop_token());
    reason = job.stop_reason();
    return Outcome::ack();  // dropped: the lease ran out
  }, options(1));
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  fake->advance(seconds(31));  // the message is visible again and comes back
  ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 1; }));
  worker.stop();
  EXPECT_EQ(reason.load(), StopReason::lease_lost);
  EXPECT_EQ(worker.counters().lease_lost, 1u);
  EXPECT_EQ(worker.counters().received, 2u);
  ASSERT_EQ(fake->ack_calls().size(), 1u);
  EXPECT_EQ(fake->ack_calls()[0], std::vector<std::string>{id + "#2"}) << "only the second lease's receipt";
}

TEST_F(WorkerTest, AHandlerPastItsTimeoutIsCancelled) {
  std::atomic<StopReason> reason{StopReason::none};
  WorkerOptions timed = options();
  timed.handler_timeout = seconds(5);
  fake->push("job");
  Worker worker(fake, "q", [&](const Job& job) {
    wait_for_stop(job.stop_token());
    reason = job.stop_reason();
    return Outcome::retry();
  }, timed);
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  fake->advance(seconds(4));
  std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(reason.load(), StopReason::none);
  fake->advance(seconds(2));
  ASSERT_TRUE(eventually([&] { return worker.counters().retried == 1; }));
  worker.stop();
  EXPECT_EQ(reason.load(), StopReason::timeout);
  ASSERT_EQ(fake->visibility_calls().size(), 1u);
  EXPECT_EQ(fake->visibility_calls()[0].timeout_s, 5);  // backoff: 10 s ceiling, jitter 0.5
}

TEST_F(WorkerTest, StopGivesBackReceivedButUnstartedMessagesAtOnce) {
  fake->hold_receives(true);  // the poll's answer arrives just as stop is requested
  std::atomic<int> handled{0};
  Worker worker(fake, "q", [&](const Job&) {
    ++handled;
    return Outcome::ack();
  }, options(4));
  worker.start();
  ASSERT_TRUE(eventually([&] { return fake->parked_receives() == 1; }));
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(fake->push("job"));
  worker.stop();

  EXPECT_EQ(handled.load(), 0);
  EXPECT_EQ(worker.counters().received, 3u);
  EXPECT_EQ(worker.counters().in_flight, 0u);
  auto calls = fake->visibility_calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].timeout_s, 0);
  EXPECT_EQ(calls[0].receipts.size(), 3u);
  for (const std::string& id : ids) EXPECT_TRUE(fake->visible_now(id));
}

TEST_F(WorkerTest, StopFlushesPendingAcks) {
  WorkerOptions slow_acks = options(3);
  slow_acks.ack_flush_delay = std::chrono::hours(1);  // only stop() sends them
  std::atomic<int> returned{0};
  for (int i = 0; i < 3; ++i) fake->push("job");
  Worker worker(fake, "q", [&](const Job&) {
    ++returned;
    return Outcome::ack();
  }, slow_acks);
  worker.start();
  ASSERT_TRUE(eventually([&] { return returned.load() == 3; }));
  EXPECT_TRUE(fake->ack_calls().empty());
  worker.stop();

  ASSERT_EQ(fake->ack_calls().size(), 1u);
  EXPECT_EQ(fake->ack_calls()[0].size(), 3u);
  EXPECT_EQ(worker.counters().succeeded, 3u);
  EXPECT_EQ(fake->remaining(), 0u);
}

// Begins stop() on a thread of its own; `stopped` once it returned.
struct Stopper {
  explicit Stopper(Worker& worker) : thread([&worker, this] {
    worker.stop();
    stopped = true;
  }) {}
  std::atomic<bool> stopped{false};
  std::jthread thread;
};

TEST_F(WorkerTest, TheDrainLetsRunningHandlersFinishWhileTheHeartbeatGoesOn) {
  Gate gate;
  fake->push("finishing");
  Worker worker(fake, "q", [&](const Job& job) {
    gate.wait();
    return job.stop_requested() ? Outcome::retry() : Outcome::ack();
  }, options(2));
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1 && fake->parked_receives() == 1; }));
  Stopper stopper(worker);
  ASSERT_TRUE(eventually([&] { return fake->parked_receives() == 0; })) << "the parked poll is cancelled";
  fake->advance(seconds(21));  // still draining: the lease must be extended
  ASSERT_TRUE(eventually([&] { return fake->visibility_calls().size() == 1; }));
  EXPECT_EQ(fake->visibility_calls()[0].timeout_s, 30);
  EXPECT_FALSE(stopper.stopped.load());

  gate.open();
  ASSERT_TRUE(eventually([&] { return stopper.stopped.load(); }));
  EXPECT_EQ(worker.counters().succeeded, 1u);
  EXPECT_EQ(fake->remaining(), 0u);
}

TEST_F(WorkerTest, PastTheDrainTimeoutStragglersAreCancelledAndGivenBack) {
  std::atomic<StopReason> reason{StopReason::none};
  WorkerOptions draining = options(2);
  draining.drain_timeout = seconds(3);
  draining.visibility_timeout_s = 300;  // no extension needed while the clock moves
  const std::string id = fake->push("straggler");
  Worker worker(fake, "q", [&](const Job& job) {
    wait_for_stop(job.stop_token());
    reason = job.stop_reason();
    return Outcome::retry();
  }, draining);
  worker.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1 && fake->parked_receives() == 1; }));
  Stopper stopper(worker);
  ASSERT_TRUE(eventually([&] { return fake->parked_receives() == 0; }));
  // The drain's deadline is taken at some moment after stop() began: move the clock
  // in steps until the token fires, and check it did not fire before the timeout.
  milliseconds advanced{0};
  ASSERT_TRUE(eventually([&] {
    if (reason.load() != StopReason::none) return true;
    fake->advance(milliseconds(500));
    advanced += milliseconds(500);
    std::this_thread::sleep_for(milliseconds(2));
    return false;
  }));
  ASSERT_TRUE(eventually([&] { return stopper.stopped.load(); }));

  EXPECT_GE(advanced, seconds(3)) << "not before the drain timeout";
  EXPECT_EQ(reason.load(), StopReason::shutdown);
  ASSERT_EQ(fake->visibility_calls().size(), 1u);
  EXPECT_EQ(fake->visibility_calls()[0].timeout_s, 0) << "given back at once, not after a backoff";
  EXPECT_TRUE(fake->visible_now(id));
}

TEST_F(WorkerTest, StopIsIdempotentAndTheDestructorStops) {
  fake->push("job");
  {
    Worker worker(fake, "q", [](const Job&) { return Outcome::ack(); }, options());
    worker.start();
    worker.start();
    ASSERT_TRUE(eventually([&] { return worker.counters().succeeded == 1; }));
  }
  Worker stopped(fake, "q", [](const Job&) { return Outcome::ack(); }, options());
  stopped.stop();
  stopped.stop();
  EXPECT_THROW(stopped.start(), std::logic_error);
}

TEST_F(WorkerTest, RejectsOptionsOutOfRange) {
  auto handler = [](const Job&) { return Outcome::ack(); };
  WorkerOptions bad = options();
  bad.max_batch = 101;
  EXPECT_THROW(Worker(fake, "q", handler, bad), std::invalid_argument);
  bad = options();
  bad.wait_s = 21;
  EXPECT_THROW(Worker(fake, "q", handler, bad), std::invalid_argument);
  bad = options(0);
  EXPECT_THROW(Worker(fake, "q", handler, bad), std::invalid_argument);
  EXPECT_THROW(Worker(nullptr, "q", handler, options()), std::invalid_argument);
}

}  // namespace
}  // namespace queue::worker::testing
