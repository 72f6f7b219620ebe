// Group commit: concurrent requests share one transaction; one failing op does not
// fail the others; a failed commit fails the whole batch and leaves no trace.
#include <atomic>
#include <set>
#include <thread>

#include "forwarding_store.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(GroupCommit);

using Messages = std::vector<ReceivedMessage>;

// A Store that forwards to a real one, fails where a test asks it to, and can hold
// a turn right after its commit (see EngineGate).
class FaultyStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  HoldPoint after_commit;

  std::atomic<bool> fail_commit{false};
  std::atomic<bool> fail_send_after_insert{false};

  std::atomic<int> durable_begins{0};
  std::atomic<int> relaxed_begins{0};

  void begin(bool durable) override {
    ++(durable ? durable_begins : relaxed_begins);
    inner_->begin(durable);
  }
  void commit() override {
    if (fail_commit.exchange(false)) throw StoreError(ErrorCode::unavailable, "injected commit failure");
    inner_->commit();
    after_commit.pass();
  }
  std::vector<std::int64_t> send(const QueueRecord& q, std::span<const NewMessage> m, std::int64_t now) override {
    auto ids = inner_->send(q, m, now);
    if (fail_send_after_insert.exchange(false)) throw StoreError(ErrorCode::unavailable, "injected send failure");
    return ids;
  }
};

struct FaultyService {
  FaultyService() {
    auto faulty = std::make_unique<FaultyStore>(storage::open_store({database.url()}));
    store = faulty.get();
    service = std::make_unique<QueueService>(std::move(faulty), clock);
    service->start();
  }
  TestDatabase database;  // outlives the service
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  FaultyStore* store;
  std::unique_ptr<QueueService> service;
};

// Holds the engine inside a turn of its own (a health check's, after its commit)
// until released.
class EngineGate : public TurnGate {
 public:
  explicit EngineGate(FaultyService& f)
      : TurnGate(f.store->after_commit, [&f] { f.service->check_health([](Result<Health>) {}); }) {}
};

TEST_P(GroupCommit, ConcurrentSendsShareCommits) {
  FaultyService f;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { f.service->put_queue("q", {}, std::move(done)); }).ok());
  constexpr int threads = 8;
  constexpr int sends_per_thread = 10;
  std::vector<Pending<SendResult>> pending(threads * sends_per_thread);

  EngineGate gate(f);
  std::uint64_t commits_before = f.service->commit_count();
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < sends_per_thread; ++i) {
        int n = t * sends_per_thread + i;
        f.service->send("q", {message("m" + std::to_string(n))}, pending[n].callback());
      }
    });
  }
  for (auto& sender : senders) sender.join();
  gate.release();

  std::set<std::string> ids;
  for (auto& p : pending) {
    auto result = p.get();
    ASSERT_TRUE(result.ok());
    ids.insert(result.value().ids.at(0));
  }
  EXPECT_EQ(ids.size(), pending.size());
  std::uint64_t commits = f.service->commit_count() - commits_before;
  EXPECT_LT(commits, pending.size());
  EXPECT_LE(commits, 3u);  // the gate's turn, the sends' batch (and possibly a sweep of its own)
  auto info = await<QueueInfo>([&](auto done) { f.service->get_queue("q", std::move(done)); });
  EXPECT_EQ(info.value().stats.visible, static_cast<std::int64_t>(pending.size()));
}

TEST_P(GroupCommit, OneFailingOperationDoesNotFailItsBatch) {
  FaultyService f;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { f.service->put_queue("q", {}, std::move(done)); }).ok());
  Pending<SendResult> good;
  Pending<SendResult> to_missing;
  Pending<SendResult> too_large;
  Pending<PutQueueResult> created;
  {
    EngineGate gate(f);
    f.service->send("q", {message("a")}, good.callback());
    f.service->send("missing", {message("b")}, to_missing.callback());
    OutgoingMessage big = message(std::string(300'000, 'x'));
    f.service->send("q", {big}, too_large.callback());
    f.service->put_queue("later", {}, created.callback());
    gate.release();
  }
  EXPECT_TRUE(good.get().ok());
  EXPECT_EQ(to_missing.get().error().code, ErrorCode::queue_not_found);
  EXPECT_EQ(too_large.get().error().code, ErrorCode::payload_too_large);
  EXPECT_TRUE(created.get().ok());
  auto info = await<QueueInfo>([&](auto done) { f.service->get_queue("q", std::move(done)); });
  EXPECT_EQ(info.value().stats.visible, 1);
  EXPECT_TRUE(await<QueueInfo>([&](auto done) { f.service->get_queue("later", std::move(done)); }).ok());
}

TEST_P(GroupCommit, BatchSendIsAllOrNothing) {
  ServiceHarness h;
  h.create("q");
  std::vector<OutgoingMessage> batch{message("ok"), message("ok too"), message(std::string("\xff\xfe", 2))};
  auto invalid_utf8 = h.send("q", batch);
  ASSERT_FALSE(invalid_utf8.ok());
  EXPECT_EQ(invalid_utf8.error().code, ErrorCode::invalid_request);
  EXPECT_NE(invalid_utf8.error().message.find("messages[2]"), std::string::npos);

  AttributesPatch small;
  small.max_message_bytes = 10;
  h.put("q", small);
  auto too_large = h.send("q", {message("short"), message("far too long for ten")});
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().code, ErrorCode::payload_too_large);
  EXPECT_EQ(h.stats("q").visible, 0);
}

TEST_P(GroupCommit, StoreFailureInOneOperationRollsBackOnlyThatOperation) {
  FaultyService f;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { f.service->put_queue("q", {}, std::move(done)); }).ok());
  Pending<SendResult> failing;
  Pending<SendResult> fine;
  {
    EngineGate gate(f);
    f.store->fail_send_after_insert = true;
    f.service->send("q", {message("rolled back")}, failing.callback());
    f.service->send("q", {message("kept")}, fine.callback());
    gate.release();
  }
  EXPECT_EQ(failing.get().error().code, ErrorCode::unavailable);
  EXPECT_TRUE(fine.get().ok());
  auto got = await<Messages>([&](auto done) { f.service->receive("q", {10, std::nullopt, 0}, std::move(done)); });
  EXPECT_EQ(bodies(got.value()), (std::vector<std::string>{"kept"}));
}

TEST_P(GroupCommit, FailedCommitAnswersEveryOperationUnavailableAndLeavesNoTrace) {
  FaultyService f;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { f.service->put_queue("q", {}, std::move(done)); }).ok());
  Pending<SendResult> sent;
  Pending<PutQueueResult> created;
  {
    EngineGate gate(f);
    f.store->fail_commit = true;
    f.service->send("q", {message("lost")}, sent.callback());
    f.service->put_queue("ghost", {}, created.callback());
    gate.release();
  }
  EXPECT_EQ(sent.get().error().code, ErrorCode::unavailable);
  EXPECT_EQ(created.get().error().code, ErrorCode::unavailable);
  // Nothing of the failed batch survived, not even in the engine's queue cache.
  auto ghost = await<QueueInfo>([&](auto done) { f.service->get_queue("ghost", std::move(done)); });
  EXPECT_EQ(ghost.error().code, ErrorCode::queue_not_found);
  auto info = await<QueueInfo>([&](auto done) { f.service->get_queue("q", std::move(done)); });
  EXPECT_EQ(info.value().stats.visible, 0);
  // And the service keeps working.
  EXPECT_TRUE(await<SendResult>([&](auto done) { f.service->send("q", {message("x")}, std::move(done)); }).ok());
}

TEST_P(GroupCommit, OnlyBatchesWithChangesThatMustSurviveWaitForAFlush) {
  FaultyService f;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { f.service->put_queue("q", {}, std::move(done)); }).ok());
  ASSERT_TRUE(await<SendResult>([&](auto done) { f.service->send("q", {message("x")}, std::move(done)); }).ok());
  int durable = f.store->durable_begins;
  int relaxed = f.store->relaxed_begins;

  auto got = await<Messages>([&](auto done) { f.service->receive("q", {1, std::nullopt, 0}, std::move(done)); });
  ASSERT_EQ(got.value().size(), 1u);
  ASSERT_TRUE(await<QueueInfo>([&](auto done) { f.service->get_queue("q", std::move(done)); }).ok());
  EXPECT_EQ(f.store->durable_begins, durable);  // receive and get: no flush needed
  EXPECT_EQ(f.store->relaxed_begins, relaxed + 2);

  ASSERT_TRUE(await<AckResult>([&](auto done) {
                f.service->ack("q", {got.value()[0].receipt}, std::move(done));
              }).ok());
  EXPECT_EQ(f.store->durable_begins, durable + 1);  // an ack must survive
}

}  // namespace
}  // namespace queue::testing
