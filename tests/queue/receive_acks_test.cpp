// A receive that carries acks: they are applied before the lease, in the same
// transaction, exactly once and durably, and answered per receipt beside the
// messages, even when the receive long-polls and finds nothing.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>

#include "forwarding_store.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(ReceiveAcks);

// Writes down which store calls each transaction made; fails a lease on request.
class RecordingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  struct Transaction {
    bool durable = false;
    std::vector<std::string> calls;
  };

  std::atomic<bool> fail_next_lease{false};

  void begin(bool durable) override {
    {
      std::lock_guard lock(mutex_);
      transactions_.push_back({durable, {}});
    }
    inner_->begin(durable);
  }
  std::vector<bool> ack_many(std::int64_t q, std::span<const LeaseRef> l, std::int64_t now) override {
    note("ack_many");
    return inner_->ack_many(q, l, now);
  }
  // The engine leases through receive_many (one call for a batch's receives of a queue).
  std::vector<LeaseOutcome> receive_many(const QueueRecord& q, std::span<const LeaseRequest> r,
                                         const LeaseTokenSource& t) override {
    note("receive");
    if (fail_next_lease.exchange(false)) throw StoreError(ErrorCode::unavailable, "injected lease failure");
    return inner_->receive_many(q, r, t);
  }

  // The transactions that made `call`, in order.
  std::vector<Transaction> with(const std::string& call) const {
    std::lock_guard lock(mutex_);
    std::vector<Transaction> found;
    for (const Transaction& t : transactions_) {
      if (std::find(t.calls.begin(), t.calls.end(), call) != t.calls.end()) found.push_back(t);
    }
    return found;
  }

 private:
  void note(std::string call) {
    std::lock_guard lock(mutex_);
    transactions_.back().calls.push_back(std::move(call));
  }

  mutable std::mutex mutex_;
  std::vector<Transaction> transactions_;
};

// A service over a RecordingStore, for the tests that look at transactions.
struct Recorded {
  Recorded() {
    auto recording = std::make_unique<RecordingStore>(storage::open_store({database.url()}));
    store = recording.get();
    service = std::make_unique<QueueService>(std::move(recording), clock);
    service->start();
  }
  ~Recorded() { service->shutdown(); }

  void create(const std::string& queue) {
    ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service->put_queue(queue, {}, std::move(done)); }).ok());
  }
  void send(const std::string& queue, const std::string& body) {
    ASSERT_TRUE(await<SendResult>([&](auto done) { service->send(queue, {message(body)}, std::move(done)); }).ok());
  }
  std::string receive_one(const std::string& queue) {
    auto got = await<std::vector<ReceivedMessage>>([&](auto done) { service->receive(queue, {}, std::move(done)); });
    if (!got.ok() || got.value().size() != 1) throw std::runtime_error("expected one message");
    return got.value()[0].receipt;
  }
  QueueStats stats(const std::string& queue) {
    return await<QueueInfo>([&](auto done) { service->get_queue(queue, std::move(done)); }).value().stats;
  }
  void settle() {
    ASSERT_TRUE(await<Health>([&](auto done) { service->check_health(std::move(done)); }).ok());
  }

  TestDatabase database;  // outlives the service
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  RecordingStore* store = nullptr;
  std::unique_ptr<QueueService> service;
};

ReceiveOptions acking(std::vector<std::string> receipts, int max = 1, int wait_ms = 0) {
  ReceiveOptions options;
  options.max = max;
  options.wait_ms = wait_ms;
  options.ack = std::move(receipts);
  return options;
}

Result<ReceiveResult> receive_with_acks(QueueService& service, const std::string& queue, ReceiveOptions options) {
  return await<ReceiveResult>(
      [&](auto done) { service.receive_with_acks(queue, std::move(options), std::move(done)); });
}

std::vector<std::string> failed_receipts(const AckResult& acks) {
  std::vector<std::string> receipts;
  for (const ReceiptFailure& failure : acks.failed) {
    EXPECT_EQ(failure.code, ErrorCode::receipt_invalid);
    receipts.push_back(failure.receipt);
  }
  return receipts;
}

TEST_P(ReceiveAcks, AcksThenLeasesInOneDurableTransaction) {
  Recorded f;
  f.create("q");
  f.send("q", "a");
  f.send("q", "b");
  std::string a = f.receive_one("q");

  auto got = receive_with_acks(*f.service, "q", acking({a}));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 1);
  EXPECT_TRUE(got->acks.failed.empty());
  EXPECT_EQ(bodies(got->messages), (std::vector<std::string>{"b"}));
  EXPECT_EQ(f.stats("q").in_flight, 1);  // b; a is gone

  auto acked = f.store->with("ack_many");
  ASSERT_EQ(acked.size(), 1u);
  EXPECT_TRUE(acked[0].durable) << "an ack must survive a power failure";
  EXPECT_EQ(acked[0].calls, (std::vector<std::string>{"ack_many", "receive"}));
}

TEST_P(ReceiveAcks, StaleAndMalformedReceiptsAreReportedPerReceiptAndTheReceiveGoesOn) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  h.create("q", patch);
  h.send_one("q", "x");
  h.send_one("q", "y");
  auto first = h.receive_ok("q", 2);
  ASSERT_EQ(first.size(), 2u);
  ASSERT_TRUE(h.change_visibility("q", {first[0].receipt}, 0).ok());  // x back: its receipt is stale

  auto got = receive_with_acks(h.service(), "q", acking({first[0].receipt, "bogus", first[1].receipt}, 10));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 1);
  EXPECT_EQ(failed_receipts(got->acks), (std::vector<std::string>{first[0].receipt, "bogus"}));
  ASSERT_EQ(bodies(got->messages), (std::vector<std::string>{"x"}));
  EXPECT_EQ(got->messages[0].receive_count, 2) << "the stale receipt did not delete the redelivery";
}

TEST_P(ReceiveAcks, AnAckedGroupHeadLetsTheSameCallReceiveTheGroupsNext) {
  ServiceHarness h;
  h.create("jobs.fifo");
  ASSERT_TRUE(h.send("jobs.fifo", {fifo_message("a1", "a"), fifo_message("a2", "a")}).ok());
  auto head = h.receive_ok("jobs.fifo", 10);
  ASSERT_EQ(bodies(head), (std::vector<std::string>{"a1"}));
  ASSERT_TRUE(h.receive_ok("jobs.fifo", 10).empty()) << "a2 waits for a1's ack";

  auto got = receive_with_acks(h.service(), "jobs.fifo", acking({head[0].receipt}, 10));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 1);
  EXPECT_EQ(bodies(got->messages), (std::vector<std::string>{"a2"}));
}

TEST_P(ReceiveAcks, AReceiptOfAnotherQueueIsNotAcked) {
  ServiceHarness h;
  h.create("q");
  h.create("other");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");

  auto got = receive_with_acks(h.service(), "other", acking({held[0].receipt}));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 0);
  EXPECT_EQ(failed_receipts(got->acks), (std::vector<std::string>{held[0].receipt}));
  EXPECT_EQ(h.stats("q").in_flight, 1);
  EXPECT_EQ(h.ack("q", {held[0].receipt}).value().acked, 1) << "still current in its own queue";
}

TEST_P(ReceiveAcks, ALongPollCommitsItsAcksAtOnceAndAnswersThemWithWhatWakesIt) {
  Recorded f;
  f.create("q");
  f.send("q", "x");
  std::string x = f.receive_one("q");

  Pending<ReceiveResult> waiting;
  f.service->receive_with_acks("q", acking({x}, 1, 20'000), waiting.callback());
  f.settle();
  ASSERT_FALSE(waiting.ready());
  QueueStats parked = f.stats("q");
  EXPECT_EQ(parked.in_flight + parked.visible, 0) << "x was acked before the answer";

  f.send("q", "y");
  auto got = waiting.get();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value().acks.acked, 1);
  EXPECT_EQ(bodies(got.value().messages), (std::vector<std::string>{"y"}));

  // Acked once, durably; looking again only leased, which need not wait for a flush.
  auto acked = f.store->with("ack_many");
  ASSERT_EQ(acked.size(), 1u);
  EXPECT_TRUE(acked[0].durable);
  auto leased = f.store->with("receive");
  ASSERT_GE(leased.size(), 3u);  // x, the parked look, the look that found y
  EXPECT_FALSE(leased.back().durable);
}

TEST_P(ReceiveAcks, ALongPollThatTimesOutAnswersItsAcks) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");

  Pending<ReceiveResult> waiting;
  h.service().receive_with_acks("q", acking({held[0].receipt, "bogus"}, 1, 1'000), waiting.callback());
  h.advance_ms(999);
  EXPECT_FALSE(waiting.ready());
  h.advance_ms(1);
  auto got = waiting.get();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(got.value().messages.empty());
  EXPECT_EQ(got.value().acks.acked, 1);
  EXPECT_EQ(failed_receipts(got.value().acks), (std::vector<std::string>{"bogus"}));
  EXPECT_EQ(h.stats("q").in_flight, 0);
}

TEST_P(ReceiveAcks, ACancelledLongPollAnswersItsAcks) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");

  Pending<ReceiveResult> waiting;
  ReceiveHandle handle =
      h.service().receive_with_acks("q", acking({held[0].receipt}, 1, 20'000), waiting.callback());
  h.settle();
  handle.cancel();
  auto got = waiting.get();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(got.value().messages.empty());
  EXPECT_EQ(got.value().acks.acked, 1);
}

TEST_P(ReceiveAcks, ALaterLookThatFailsStillAnswersTheCommittedAcks) {
  Recorded f;
  f.create("q");
  f.send("q", "x");
  std::string x = f.receive_one("q");
  Pending<ReceiveResult> waiting;
  f.service->receive_with_acks("q", acking({x}, 1, 20'000), waiting.callback());
  f.settle();
  ASSERT_FALSE(waiting.ready());

  f.store->fail_next_lease = true;
  f.send("q", "y");  // wakes the receive, whose lease then fails
  auto got = waiting.get();
  ASSERT_TRUE(got.ok()) << "the acks committed: an error would have the client ack them again";
  EXPECT_EQ(got.value().acks.acked, 1);
  EXPECT_TRUE(got.value().messages.empty());
  EXPECT_EQ(f.stats("q").visible, 1);  // y, left for the next receive
}

TEST_P(ReceiveAcks, RefusedRequestsAckNothing) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto held = h.receive_ok("q");

  std::vector<std::string> too_many(limits::batch_max + 1, held[0].receipt);
  EXPECT_EQ(receive_with_acks(h.service(), "q", acking(too_many)).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(receive_with_acks(h.service(), "missing", acking({held[0].receipt})).error().code,
            ErrorCode::queue_not_found);
  ReceiveOptions bad_max = acking({held[0].receipt}, 0);
  EXPECT_EQ(receive_with_acks(h.service(), "q", bad_max).error().code, ErrorCode::invalid_request);
  // Only receive_with_acks has somewhere to put their results.
  EXPECT_EQ(h.receive("q", acking({held[0].receipt})).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.stats("q").in_flight, 1);
}

TEST_P(ReceiveAcks, NoAcksIsAPlainReceive) {
  ServiceHarness h;
  h.create("q");
  h.send_one("q", "x");
  auto got = receive_with_acks(h.service(), "q", acking({}));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 0);
  EXPECT_TRUE(got->acks.failed.empty());
  EXPECT_EQ(bodies(got->messages), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace queue::testing
