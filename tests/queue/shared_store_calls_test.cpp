// One store call per kind and queue per batch: the receives of one queue in a batch
// (fresh or long-polling) share one Store::receive_many, each message going to
// exactly one of them and the earliest filled first; its acks, plain or carried by
// a receive, share one Store::ack_many, and its visibility changes one
// Store::change_visibility_many, each with its own lease end; all answered per
// request as one by one.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "forwarding_store.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(SharedStoreCalls);

using Messages = std::vector<ReceivedMessage>;

// Counts the batch calls; can hold a turn after its commit, and run an action at
// the start of the next receive_many (to cancel a receive whose share it leases).
class CountingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  HoldPoint after_commit;
  std::atomic<int> receive_calls{0};
  std::atomic<int> ack_calls{0};
  std::atomic<int> visibility_calls{0};
  std::function<void()> on_next_receive;  // set before the batch, run once

  std::vector<std::size_t> requests_per_receive_call() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  void commit() override {
    inner_->commit();
    after_commit.pass();
  }
  LeaseOutcome receive(const QueueRecord& q, const LeaseRequest& r, const LeaseTokenSource& t) override {
    ++receive_calls;
    return inner_->receive(q, r, t);
  }
  std::vector<LeaseOutcome> receive_many(const QueueRecord& q, std::span<const LeaseRequest> r,
                                         const LeaseTokenSource& t) override {
    ++receive_calls;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(r.size());
    }
    if (auto action = std::exchange(on_next_receive, nullptr)) action();
    return inner_->receive_many(q, r, t);
  }
  std::vector<bool> ack_many(std::int64_t q, std::span<const LeaseRef> l, std::int64_t now) override {
    ++ack_calls;
    return inner_->ack_many(q, l, now);
  }
  std::vector<bool> change_visibility_many(std::int64_t q, std::span<const VisibilityChange> c,
                                           std::int64_t now) override {
    ++visibility_calls;
    return inner_->change_visibility_many(q, c, now);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::size_t> requests_;
};

struct CountingService {
  CountingService() {
    auto counting = std::make_unique<CountingStore>(storage::open_store({database.url()}));
    store = counting.get();
    service = std::make_unique<QueueService>(std::move(counting), clock);
    service->start();
    EXPECT_TRUE(await<PutQueueResult>([&](auto done) { service->put_queue("q", {}, std::move(done)); }).ok());
  }
  void send(int count) {
    std::vector<OutgoingMessage> messages;
    for (int i = 0; i < count; ++i) messages.push_back(message("m" + std::to_string(i)));
    ASSERT_TRUE(await<SendResult>([&](auto done) { service->send("q", messages, std::move(done)); }).ok());
  }
  Messages receive_now(int max) {
    auto got = await<Messages>([&](auto done) { service->receive("q", {max, std::nullopt, 0}, std::move(done)); });
    return got.ok() ? got.value() : Messages{};
  }
  QueueStats stats() {
    return await<QueueInfo>([&](auto done) { service->get_queue("q", std::move(done)); }).value().stats;
  }
  std::int64_t visible() { return stats().visible; }

  TestDatabase database;  // outlives the service
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  CountingStore* store;
  std::unique_ptr<QueueService> service;
};

// Holds the engine inside a turn (a health check's, after its commit): whatever is
// posted meanwhile runs as one batch after release().
class EngineGate : public TurnGate {
 public:
  explicit EngineGate(CountingService& f)
      : TurnGate(f.store->after_commit, [&f] { f.service->check_health([](Result<Health>) {}); }) {}
};

// Every message delivered at most once across `answers`; returns how many in all.
std::size_t delivered_once(const std::vector<Messages>& answers) {
  std::set<std::string> ids;
  std::size_t total = 0;
  for (const Messages& messages : answers) {
    for (const ReceivedMessage& m : messages) {
      EXPECT_TRUE(ids.insert(m.id).second) << "message " << m.id << " delivered twice";
      ++total;
    }
  }
  return total;
}

TEST_P(SharedStoreCalls, ReceivesOfOneQueueInABatchShareOneStoreCall) {
  CountingService f;
  f.send(7);
  std::vector<Pending<Messages>> pending(5);
  int calls_before = f.store->receive_calls;
  {
    EngineGate gate(f);
    for (auto& p : pending) f.service->receive("q", {2, std::nullopt, 0}, p.callback());
    gate.release();
  }
  std::vector<Messages> answers;
  for (auto& p : pending) {
    auto result = p.get();
    ASSERT_TRUE(result.ok());
    answers.push_back(result.value());
  }
  EXPECT_EQ(f.store->receive_calls - calls_before, 1);
  EXPECT_EQ(f.store->requests_per_receive_call().back(), 5u);
  EXPECT_EQ(delivered_once(answers), 7u);
  // The earliest receives are filled first.
  std::vector<std::size_t> sizes;
  for (const Messages& m : answers) sizes.push_back(m.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 2, 1, 0}));
  EXPECT_EQ(f.visible(), 0);
}

TEST_P(SharedStoreCalls, LongPollsWokenTogetherShareOneStoreCall) {
  CountingService f;
  std::vector<Pending<Messages>> pending(5);
  std::vector<ReceiveHandle> handles;
  for (auto& p : pending) handles.push_back(f.service->receive("q", {2, std::nullopt, 20'000}, p.callback()));
  auto parked = [&] {
    return await<Health>([&](auto done) { f.service->check_health(std::move(done)); }).value().parked_receives;
  };
  for (int i = 0; i < 500 && parked() < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(parked(), 5);

  int calls_before = f.store->receive_calls;
  f.send(10);  // exactly what the five want
  std::vector<Messages> answers;
  for (auto& p : pending) {
    auto result = p.get();
    ASSERT_TRUE(result.ok());
    answers.push_back(result.value());
  }
  EXPECT_EQ(f.store->receive_calls - calls_before, 1);
  EXPECT_EQ(f.store->requests_per_receive_call().back(), 5u);
  EXPECT_EQ(delivered_once(answers), 10u);
}

TEST_P(SharedStoreCalls, AShareItsReceiveNoLongerWantsIsReleasedBeforeTheCommit) {
  CountingService f;
  f.send(4);
  Pending<Messages> first;
  Pending<Messages> second;
  {
    EngineGate gate(f);
    f.service->receive("q", {2, std::nullopt, 0}, first.callback());
    ReceiveHandle gone = f.service->receive("q", {2, std::nullopt, 0}, second.callback());
    // The first receive leases for both; the second's client leaves during that call.
    f.store->on_next_receive = [gone]() mutable { gone.cancel(); };
    gate.release();
  }
  ASSERT_EQ(first.get().value().size(), 2u);
  EXPECT_TRUE(second.get().value().empty());
  // The second share's messages are receivable at once, not after a lease.
  EXPECT_EQ(f.visible(), 2);
  EXPECT_EQ(f.receive_now(10).size(), 2u);
}

TEST_P(SharedStoreCalls, AcksOfOneQueueInABatchShareOneStoreCall) {
  CountingService f;
  f.send(6);
  Messages leased = f.receive_now(6);
  ASSERT_EQ(leased.size(), 6u);
  int calls_before = f.store->ack_calls;
  Pending<AckResult> a, b, duplicate;
  Pending<ReceiveResult> carried;
  {
    EngineGate gate(f);
    f.service->ack("q", {leased[0].receipt, leased[1].receipt}, a.callback());
    f.service->ack("q", {leased[2].receipt, "not-a-receipt"}, b.callback());
    // Already acked by `a`, earlier in the batch: as one by one, stale here.
    f.service->ack("q", {leased[0].receipt}, duplicate.callback());
    ReceiveOptions options{1, std::nullopt, 0};
    options.ack = {leased[3].receipt, leased[4].receipt};
    f.service->receive_with_acks("q", options, carried.callback());
    gate.release();
  }
  EXPECT_EQ(a.get().value().acked, 2);
  EXPECT_EQ(b.get().value().acked, 1);
  ASSERT_EQ(b.get().value().failed.size(), 1u);
  EXPECT_EQ(b.get().value().failed[0].receipt, "not-a-receipt");
  EXPECT_EQ(duplicate.get().value().acked, 0);
  EXPECT_EQ(duplicate.get().value().failed.size(), 1u);
  EXPECT_EQ(carried.get().value().acks.acked, 2);
  EXPECT_EQ(f.store->ack_calls - calls_before, 1);
  // Only leased[5] is left, in flight.
  EXPECT_EQ(f.visible(), 0);
  auto info = await<QueueInfo>([&](auto done) { f.service->get_queue("q", std::move(done)); });
  EXPECT_EQ(info.value().stats.in_flight, 1);
}

TEST_P(SharedStoreCalls, VisibilityChangesOfOneQueueInABatchShareOneStoreCall) {
  CountingService f;
  f.send(5);
  Messages leased = f.receive_now(5);  // leases of the queue's default, 30 s
  ASSERT_EQ(leased.size(), 5u);
  int calls_before = f.store->visibility_calls;
  Pending<VisibilityResult> extended, released, after_release, extended_again, released_after_extend;
  {
    EngineGate gate(f);
    f.service->change_visibility("q", {leased[0].receipt, leased[1].receipt}, 60, extended.callback());
    f.service->change_visibility("q", {leased[2].receipt, "not-a-receipt"}, 0, released.callback());
    // As one by one: leased[2] was released earlier in the batch, so its receipt is stale here.
    f.service->change_visibility("q", {leased[2].receipt}, 60, after_release.callback());
    // An extended lease stays current: the same receipt may then release it.
    f.service->change_visibility("q", {leased[3].receipt}, 90, extended_again.callback());
    f.service->change_visibility("q", {leased[3].receipt}, 0, released_after_extend.callback());
    gate.release();
  }
  EXPECT_EQ(extended.get().value().updated, 2);
  EXPECT_EQ(released.get().value().updated, 1);
  ASSERT_EQ(released.get().value().failed.size(), 1u);
  EXPECT_EQ(released.get().value().failed[0].receipt, "not-a-receipt");
  EXPECT_EQ(after_release.get().value().updated, 0);
  EXPECT_EQ(extended_again.get().value().updated, 1);
  EXPECT_EQ(released_after_extend.get().value().updated, 1);
  EXPECT_EQ(f.store->visibility_calls - calls_before, 1);
  // leased[2] and leased[3] are back; leased[0], [1] (60 s) and [4] (30 s) in flight.
  EXPECT_EQ(f.visible(), 2);
  EXPECT_EQ(f.stats().in_flight, 3);
  // Each lease got its own end: after 45 s only leased[4]'s has passed.
  f.clock->advance(45'000);
  EXPECT_EQ(f.visible(), 3);
  EXPECT_EQ(f.stats().in_flight, 2);
}

}  // namespace
}  // namespace queue::testing
