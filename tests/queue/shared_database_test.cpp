// Several Queue services on one PostgreSQL database, each with its own store and
// connections: to the database exactly what several Queue processes are. Every
// rule must hold across them. (processes_test.cpp does the same with real
// queue-server processes over HTTP.)
#include <atomic>
#include <map>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "forwarding_store.h"
#include "postgres_fixture.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

using Messages = std::vector<ReceivedMessage>;

class SharedDatabase : public PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    a = std::make_unique<ServiceHarness>();
    b = std::make_unique<ServiceHarness>(ServiceHarness::SameDatabaseAs{*a});
  }
  void TearDown() override {
    b.reset();
    a.reset();
  }
  std::unique_ptr<ServiceHarness> a;
  std::unique_ptr<ServiceHarness> b;
};

TEST_F(SharedDatabase, NoMessageIsLeasedToTwoConsumersAtOnce) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 60;
  a->create("q", patch);
  constexpr int total = 400;
  for (int sent = 0; sent < total; sent += 100) {
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(message("m" + std::to_string(sent + i)));
    ASSERT_TRUE((sent % 200 == 0 ? a : b)->send("q", batch).ok());
  }
  DeliveryCounter deliveries;
  std::vector<std::thread> consumers;
  for (int c = 0; c < 6; ++c) {
    ServiceHarness& service = c % 2 == 0 ? *a : *b;
    consumers.emplace_back([&] {
      for (;;) {
        std::vector<std::string> receipts = deliveries.receive(service, "q", 7);
        if (receipts.empty()) return;
        EXPECT_EQ(service.ack("q", receipts).value().acked, static_cast<std::int64_t>(receipts.size()));
      }
    });
  }
  for (auto& consumer : consumers) consumer.join();
  const auto counts = deliveries.counts();
  ASSERT_EQ(counts.size(), static_cast<std::size_t>(total));
  for (const auto& [id, count] : counts) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(a->stats("q").visible + b->stats("q").in_flight, 0);
}

TEST_F(SharedDatabase, FifoGroupHasOneInFlightAndKeepsOrderAcrossServices) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  a->create("jobs.fifo", patch);
  ASSERT_TRUE(a->send("jobs.fifo", {fifo_message("1", "g"), fifo_message("2", "g")}).ok());
  ASSERT_TRUE(b->send("jobs.fifo", {fifo_message("3", "g"), fifo_message("x", "other")}).ok());

  auto first = a->receive_ok("jobs.fifo", 10);
  EXPECT_EQ(bodies(first), (std::vector<std::string>{"1", "x"}));
  EXPECT_TRUE(b->receive_ok("jobs.fifo", 10).empty());  // g is busy, "other" too
  ASSERT_EQ(a->ack("jobs.fifo", {first[0].receipt, first[1].receipt}).value().acked, 2);
  auto second = b->receive_ok("jobs.fifo", 10);
  EXPECT_EQ(bodies(second), (std::vector<std::string>{"2"}));
  b->ack("jobs.fifo", {second[0].receipt});
  EXPECT_EQ(bodies(a->receive_ok("jobs.fifo", 10)), (std::vector<std::string>{"3"}));
}

TEST_F(SharedDatabase, ConcurrentSendsToOneFifoGroupKeepOneHead) {
  a->create("race.fifo");
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    ServiceHarness& service = t % 2 == 0 ? *a : *b;
    senders.emplace_back([&service, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(service.send("race.fifo", {fifo_message(std::to_string(t * 100 + i), "g")}).ok());
      }
    });
  }
  for (auto& sender : senders) sender.join();
  // Exactly one head: the group yields one message at a time, 40 times, in id order.
  std::int64_t last_id = 0;
  for (int n = 0; n < 40; ++n) {
    auto got = (n % 2 == 0 ? a : b)->receive_ok("race.fifo", 10);
    ASSERT_EQ(got.size(), 1u) << "delivery " << n;
    EXPECT_GT(std::stoll(got[0].id), last_id);
    last_id = std::stoll(got[0].id);
    ASSERT_EQ((n % 2 == 0 ? b : a)->ack("race.fifo", {got[0].receipt}).value().acked, 1);
  }
  EXPECT_TRUE(a->receive_ok("race.fifo", 10).empty());
}

TEST_F(SharedDatabase, DedupHoldsAcrossServicesEvenWhenConcurrent) {
  a->create("q");
  for (int round = 0; round < 20; ++round) {
    std::string dedup_id = "order-" + std::to_string(round);
    auto send = [&](ServiceHarness& service) {
      OutgoingMessage m = message("x");
      m.dedup_id = dedup_id;
      return service.send("q", {m});
    };
    Result<SendResult> from_a = Error{};
    std::thread other([&] { from_a = send(*a); });
    auto from_b = send(*b);
    other.join();
    ASSERT_TRUE(from_a.ok() && from_b.ok());
    EXPECT_EQ(from_a.value().ids, from_b.value().ids) << dedup_id;
  }
  EXPECT_EQ(a->stats("q").visible, 20);
}

TEST_F(SharedDatabase, ReceiptIsValidOnlyForTheCurrentLeaseAcrossServices) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  a->create("q", patch);
  a->send_one("q", "x");
  auto first = a->receive_ok("q");
  a->advance_ms(10'000);
  auto second = b->receive_ok("q");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_EQ(a->ack("q", {first[0].receipt}).value().acked, 0);
  EXPECT_EQ(a->change_visibility("q", {first[0].receipt}, 0).value().updated, 0);
  EXPECT_EQ(a->ack("q", {second[0].receipt}).value().acked, 1);  // any process may ack a current lease
}

TEST_F(SharedDatabase, SendThroughOneWakesALongPollParkedInAnother) {
  a->create("q");
  Pending<Messages> waiting;
  ReceiveOptions options;
  options.wait_ms = 20'000;
  a->service().receive("q", options, waiting.callback());
  a->settle();
  EXPECT_FALSE(waiting.ready(std::chrono::milliseconds(100)));
  // The ManualClock stands still: only B's NOTIFY can answer A's receive.
  b->send_one("q", "hello");
  ASSERT_TRUE(waiting.ready(std::chrono::seconds(10))) << "the parked receive was not woken";
  EXPECT_EQ(bodies(waiting.get().value()), (std::vector<std::string>{"hello"}));
}

TEST_F(SharedDatabase, QueueChangesReachTheOtherServicesCache) {
  a->create("q");
  a->send_one("q", "cached now");  // A holds q's row in its cache
  AttributesPatch small;
  small.max_message_bytes = 5;
  ASSERT_TRUE(b->put("q", small).ok());
  EXPECT_TRUE(eventually([&] { return a->get("q").value().attributes.max_message_bytes == 5; }));
  auto refused = a->send("q", {message("far too long")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::payload_too_large);

  ASSERT_TRUE(await<Done>([&](auto done) { b->service().delete_queue("q", std::move(done)); }).ok());
  EXPECT_TRUE(eventually([&] {
    auto sent = a->send("q", {message("x")});
    return !sent.ok() && sent.error().code == ErrorCode::queue_not_found;
  }));
}

TEST_F(SharedDatabase, PausingThroughOneStopsReceivesInTheOtherAndResumingWakesThem) {
  a->create("q");
  b->send_one("q", "x");
  ASSERT_EQ(b->stats("q").visible, 1);  // B holds q's row in its cache
  AttributesPatch pause;
  pause.paused = true;
  ASSERT_TRUE(a->put("q", pause).ok());
  ASSERT_TRUE(eventually([&] { return b->get("q").value().attributes.paused; }));
  EXPECT_TRUE(b->receive_ok("q").empty());

  Pending<Messages> waiting;
  ReceiveOptions options;
  options.wait_ms = 20'000;
  b->service().receive("q", options, waiting.callback());
  b->settle();
  EXPECT_FALSE(waiting.ready(std::chrono::milliseconds(100)));
  // The ManualClock stands still: only A's notification of the change can wake B's receive.
  AttributesPatch resume;
  resume.paused = false;
  ASSERT_TRUE(a->put("q", resume).ok());
  ASSERT_TRUE(waiting.ready(std::chrono::seconds(10))) << "resuming did not wake the parked receive";
  EXPECT_EQ(bodies(waiting.get().value()), (std::vector<std::string>{"x"}));
}

// A plain send rides its batch's COMMIT (its INSERT is deferred, its ids reserved
// beforehand). If another process deletes the queue between the send and that
// COMMIT, the deferred INSERT fails: the send must be answered as failed, never as
// sent, and the whole batch rolled back.
//
// The gate holds only the commit of a transaction that sent: any other turn of the
// engine (one woken by the database's notification of an earlier change, say) may
// commit before the send's does, and holding that one instead would let the send
// run after the delete, which tests something else (a flake seen under ASan).
class CommitGate final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  HoldPoint before_commit;
  std::vector<std::int64_t> send(const QueueRecord& q, std::span<const NewMessage> m, std::int64_t now) override {
    sent_in_transaction_ = true;
    return inner_->send(q, m, now);
  }
  void commit() override {
    if (std::exchange(sent_in_transaction_, false)) before_commit.pass();
    inner_->commit();
  }
  void rollback() noexcept override {
    sent_in_transaction_ = false;
    inner_->rollback();
  }

 private:
  bool sent_in_transaction_ = false;  // only the engine's turn holder touches it
};

TEST_F(SharedDatabase, CreatingAQueueAnotherServiceJustDeletedCreatesItAgain) {
  a->create("q");
  ASSERT_EQ(a->send("q", {message("m")}).ok(), true);  // a's engine now holds q's row in its cache
  ASSERT_TRUE(await<Done>([&](auto done) { b->service().delete_queue("q", std::move(done)); }).ok());
  // Straight away, before a has heard of the delete: its cached row must not answer.
  Result<PutQueueResult> created = a->put("q");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created.value().created) << "answered from a cached row of the deleted queue";
  EXPECT_EQ(a->stats("q").visible, 0);
  EXPECT_TRUE(a->send("q", {message("again")}).ok());
}

TEST_F(SharedDatabase, PlainSendToAQueueDeletedBeforeItsCommitFailsItsBatch) {
  a->create("q");
  auto gated = std::make_unique<CommitGate>(storage::open_store({a->database_url()}));
  CommitGate* gate = gated.get();
  ServiceOptions options;
  options.callers_run_batches = false;  // as Queue runs on PostgreSQL; the gate would hold this thread
  QueueService service(std::move(gated), std::make_shared<ManualClock>(), options);
  service.start();
  // Warm the engine's queue cache, so the send needs no statement before the COMMIT.
  ASSERT_TRUE(await<QueueInfo>([&](auto done) { service.get_queue("q", std::move(done)); }).ok());

  Pending<SendResult> sent;
  {
    // The send's batch is about to commit while the other process deletes the queue.
    TurnGate held(gate->before_commit,
                  [&] { service.send("q", {message("into a queue about to go")}, sent.callback()); });
    ASSERT_TRUE(await<Done>([&](auto done) { b->service().delete_queue("q", std::move(done)); }).ok());
  }

  auto result = sent.get();
  ASSERT_FALSE(result.ok()) << "a send into a deleted queue was answered as sent";
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
  service.shutdown();
  // Nothing of it is left, and the name is free again.
  a->create("q");
  EXPECT_EQ(a->stats("q").visible, 0);
}

TEST_F(SharedDatabase, StatsCountWhatEveryServiceCommittedWhileBothFold) {
  a->create("q");
  b->settle();
  constexpr int rounds = 30;
  std::atomic<std::int64_t> acked{0};
  std::vector<std::thread> workers;
  // Sends and acks commit concurrently from both services (each delta row its own),
  // while both sweep now and then, folding the deltas under each other's feet.
  for (int w = 0; w < 4; ++w) {
    ServiceHarness& service = w % 2 == 0 ? *a : *b;
    workers.emplace_back([&, w] {
      for (int i = 0; i < rounds; ++i) {
        std::vector<OutgoingMessage> batch;
        for (int k = 0; k < 5; ++k) batch.push_back(message(std::to_string(w) + "-" + std::to_string(i)));
        EXPECT_TRUE(service.send("q", batch).ok());
        auto got = service.receive_ok("q", 2, 3600);
        std::vector<std::string> receipts;
        for (const auto& m : got) receipts.push_back(m.receipt);
        if (!receipts.empty()) acked += service.ack("q", receipts).value().acked;
        if (i % 7 == w) service.advance_ms(1'000);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const std::int64_t left = 4 * rounds * 5 - acked;
  for (ServiceHarness* service : {a.get(), b.get()}) {
    QueueStats stats = service->stats("q");
    EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, left);
    EXPECT_EQ(stats.in_flight, 0);
  }
  a->advance_ms(1'000);
  b->advance_ms(0);
  EXPECT_EQ(a->stats("q").visible, left);
  EXPECT_EQ(b->stats("q").visible, left);
}

}  // namespace
}  // namespace queue::testing
