// Round trips to PostgreSQL per batch, counted (Session::round_trips), so a change
// that costs more of them fails here and not only, noisily, in the benchmark: a
// batch's receives of one queue are one statement, its acks one, its visibility
// changes one; a FIFO change's group locks ride along with its statement, and the
// transaction's bookkeeping with them and the COMMIT.
#include <functional>
#include <memory>
#include <set>

#include "forwarding_store.h"
#include "postgres_fixture.h"
#include "service_harness.h"

#include "queue/storage/postgres/postgres_store.h"

namespace queue::testing {
namespace {

using storage::postgres::PostgresStore;

class RoundTrips : public PostgresTest {};

constexpr std::int64_t now_ms = 1'000'000;

LeaseRequest lease_request(int max) {
  LeaseRequest request;
  request.max = max;
  request.now_ms = now_ms;
  request.lease_until_ms = now_ms + 30'000;
  request.sent_after_ms = 0;
  return request;
}

TEST_F(RoundTrips, ReceivesSharingAStatementAndTheirAcksCostTwoRoundTripsEach) {
  TestDatabase database(EngineKind::postgres);
  PostgresStore store(database.url(), storage::Durability::fsync);
  std::uint64_t next_token = 1;
  LeaseTokenSource tokens = [&] { return next_token++; };
  store.begin(true);
  QueueRecord queue = store.create_queue("q", QueueAttributes{}, now_ms);
  std::vector<NewMessage> messages(10);
  for (NewMessage& m : messages) m.visible_at_ms = now_ms;
  store.send(queue, messages, now_ms);
  store.commit();

  auto lease = [&](const std::vector<LeaseRequest>& requests) {
    store.begin(false);
    auto outcomes = store.receive_many(queue, requests, tokens);
    store.commit();
    return outcomes;
  };
  auto ack = [&](const std::vector<LeaseRef>& leases) {
    store.begin(true);
    auto results = store.ack_many(queue.id, leases, now_ms);
    store.commit();
    return results;
  };
  // Prepares both statements (a round trip each, once per connection).
  auto warm = lease({lease_request(1)});
  ASSERT_EQ(warm.at(0).delivered.size(), 1u);
  ASSERT_EQ(ack({LeaseRef{warm[0].delivered[0].id, warm[0].delivered[0].lease_token}}), std::vector<bool>{true});

  std::uint64_t before = store.round_trips();
  auto outcomes = lease({lease_request(2), lease_request(3), lease_request(1), lease_request(5)});
  EXPECT_EQ(store.round_trips() - before, 2u);  // BEGIN + the statement; COMMIT
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].delivered.size(), 2u);
  EXPECT_EQ(outcomes[1].delivered.size(), 3u);
  EXPECT_EQ(outcomes[2].delivered.size(), 1u);
  EXPECT_EQ(outcomes[3].delivered.size(), 3u);  // the 9 left, earliest requests first
  std::set<std::int64_t> ids;
  std::vector<LeaseRef> leases;
  for (const LeaseOutcome& outcome : outcomes) {
    for (const LeasedMessage& m : outcome.delivered) {
      EXPECT_TRUE(ids.insert(m.id).second) << "message " << m.id << " leased twice";
      leases.push_back(LeaseRef{m.id, m.lease_token});
    }
  }

  before = store.round_trips();
  std::vector<bool> acked = ack(leases);
  EXPECT_EQ(store.round_trips() - before, 2u);
  EXPECT_EQ(acked, std::vector<bool>(leases.size(), true));
  EXPECT_EQ(store.stats(queue.id, now_ms).visible, 0);
}

// Holds a turn after its commit, so the test decides what one batch holds.
class GatedStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  HoldPoint after_commit;
  void commit() override {
    inner_->commit();
    after_commit.pass();
  }
};

using Messages = std::vector<ReceivedMessage>;

// A service on PostgreSQL with queue "q" holding ten messages, four of them leased
// (`leased`); the receive, ack and visibility statements are prepared already.
struct GatedService {
  explicit GatedService(const std::string& url) {
    auto owned = std::make_unique<PostgresStore>(url, storage::Durability::fsync);
    postgres = owned.get();
    auto gated = std::make_unique<GatedStore>(std::move(owned));
    gate_point = gated.get();
    service = std::make_unique<QueueService>(std::move(gated), std::make_shared<ManualClock>());
    service->start();
    EXPECT_TRUE(await<PutQueueResult>([&](auto done) { service->put_queue("q", {}, std::move(done)); }).ok());
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 10; ++i) batch.push_back(message("m" + std::to_string(i)));
    EXPECT_TRUE(await<SendResult>([&](auto done) { service->send("q", batch, std::move(done)); }).ok());
    leased = await<Messages>([&](auto done) { service->receive("q", {5, std::nullopt, 0}, std::move(done)); }).value();
    EXPECT_EQ(leased.size(), 5u);
    EXPECT_EQ(await<AckResult>([&](auto done) { service->ack("q", {leased[0].receipt}, std::move(done)); })
                  .value()
                  .acked,
              1);
    EXPECT_EQ(await<VisibilityResult>([&](auto done) {
                service->change_visibility("q", {leased[4].receipt}, 60, std::move(done));
              }).value().updated,
              1);
    leased.erase(leased.begin());
    leased.pop_back();
  }
  ~GatedService() { service->shutdown(); }

  // What `post` posts runs as one batch; returns its round trips once `await_answers` returned.
  std::uint64_t round_trips_of_batch(const std::function<void()>& post, const std::function<void()>& await_answers) {
    std::uint64_t before = 0;
    {
      TurnGate gate(gate_point->after_commit, [&] { service->check_health([](Result<Health>) {}); });
      before = postgres->round_trips();
      post();
      gate.release();
    }
    await_answers();
    return postgres->round_trips() - before;
  }

  PostgresStore* postgres = nullptr;
  GatedStore* gate_point = nullptr;
  std::unique_ptr<QueueService> service;
  Messages leased;
};

TEST_F(RoundTrips, ABatchOfAcksAndReceivesOnOneQueueCostsThreeRoundTrips) {
  TestDatabase database(EngineKind::postgres);
  GatedService f(database.url());
  Pending<AckResult> ack_a, ack_b;
  std::vector<Pending<Messages>> receives(3);
  std::uint64_t round_trips = f.round_trips_of_batch(
      [&] {
        f.service->ack("q", {f.leased[0].receipt}, ack_a.callback());
        f.service->ack("q", {f.leased[1].receipt, f.leased[2].receipt}, ack_b.callback());
        for (auto& r : receives) f.service->receive("q", {2, std::nullopt, 0}, r.callback());
      },
      [&] {
        EXPECT_EQ(ack_a.get().value().acked, 1);
        EXPECT_EQ(ack_b.get().value().acked, 2);
        std::size_t received = 0;
        for (auto& r : receives) received += r.get().value().size();
        EXPECT_EQ(received, 5u);
      });
  // BEGIN..the acks' DELETE; RELEASE..the receives' SELECT; COMMIT. One by one it
  // was five statements and the COMMIT.
  EXPECT_EQ(round_trips, 3u);
}

TEST_F(RoundTrips, ABatchOfVisibilityChangesOnOneQueueCostsTwoRoundTrips) {
  TestDatabase database(EngineKind::postgres);
  GatedService f(database.url());
  Pending<VisibilityResult> extended, released, stale;
  std::uint64_t round_trips = f.round_trips_of_batch(
      [&] {
        f.service->change_visibility("q", {f.leased[0].receipt, f.leased[1].receipt}, 60, extended.callback());
        f.service->change_visibility("q", {f.leased[2].receipt}, 0, released.callback());
        f.service->change_visibility("q", {f.leased[2].receipt}, 60, stale.callback());
      },
      [&] {
        EXPECT_EQ(extended.get().value().updated, 2);
        EXPECT_EQ(released.get().value().updated, 1);
        EXPECT_EQ(stale.get().value().updated, 0);  // released earlier in the batch
      });
  // BEGIN..the one UPDATE; COMMIT. One statement per request, it was four.
  EXPECT_EQ(round_trips, 2u);
}

TEST_F(RoundTrips, AFifoQueuesGroupLocksRideAlongWithItsSendAndAck) {
  TestDatabase database(EngineKind::postgres);
  PostgresStore store(database.url(), storage::Durability::fsync);
  std::uint64_t next_token = 1;
  LeaseTokenSource tokens = [&] { return next_token++; };
  QueueAttributes fifo;
  fifo.fifo = true;
  store.begin(true);
  QueueRecord queue = store.create_queue("q.fifo", fifo, now_ms);
  store.commit();
  auto send = [&](const std::string& group) {
    std::vector<NewMessage> messages(2);
    for (NewMessage& m : messages) {
      m.group_id = group;
      m.visible_at_ms = now_ms;
    }
    store.begin(true);
    store.send(queue, messages, now_ms);
    store.commit();
  };
  auto lease = [&] {
    store.begin(false);
    LeaseOutcome outcome = store.receive(queue, lease_request(10), tokens);
    store.commit();
    std::vector<LeaseRef> leases;
    for (const LeasedMessage& m : outcome.delivered) leases.push_back(LeaseRef{m.id, m.lease_token});
    return leases;
  };
  auto ack = [&](const std::vector<LeaseRef>& leases) {
    store.begin(true);
    auto results = store.ack_many(queue.id, leases, now_ms);
    store.commit();
    return results;
  };
  // Prepares the statements (a round trip each, once per connection).
  send("a");
  ASSERT_EQ(ack(lease()), std::vector<bool>{true});

  std::uint64_t before = store.round_trips();
  send("b");
  EXPECT_EQ(store.round_trips() - before, 2u);  // BEGIN..the locks and the INSERT; COMMIT
  std::vector<LeaseRef> heads = lease();
  ASSERT_EQ(heads.size(), 2u);  // the head of each group
  before = store.round_trips();
  EXPECT_EQ(ack(heads), std::vector<bool>(2, true));
  EXPECT_EQ(store.round_trips() - before, 2u);  // BEGIN..the locks and the DELETE; COMMIT
  EXPECT_EQ(lease().size(), 1u);  // the acks promoted group b's second message
}

}  // namespace
}  // namespace queue::testing
