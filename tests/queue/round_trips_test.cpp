// Round trips to PostgreSQL per batch, counted (Session::round_trips), so a change
// that costs more of them fails here and not only, noisily, in the benchmark: a
// batch's receives of one queue are one statement, its acks one, and the
// transaction's bookkeeping rides along with them and the COMMIT.
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

TEST_F(RoundTrips, ABatchOfAcksAndReceivesOnOneQueueCostsThreeRoundTrips) {
  TestDatabase database(EngineKind::postgres);
  auto owned = std::make_unique<PostgresStore>(database.url(), storage::Durability::fsync);
  PostgresStore* postgres = owned.get();
  auto gated = std::make_unique<GatedStore>(std::move(owned));
  GatedStore* gate_point = gated.get();
  auto clock = std::make_shared<ManualClock>();
  QueueService service(std::move(gated), clock);
  service.start();
  using Messages = std::vector<ReceivedMessage>;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service.put_queue("q", {}, std::move(done)); }).ok());
  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(message("m" + std::to_string(i)));
  ASSERT_TRUE(await<SendResult>([&](auto done) { service.send("q", batch, std::move(done)); }).ok());
  // Leases four to ack later, and prepares the receive and ack statements.
  auto leased = await<Messages>([&](auto done) { service.receive("q", {4, std::nullopt, 0}, std::move(done)); });
  ASSERT_EQ(leased.value().size(), 4u);
  ASSERT_EQ(await<AckResult>([&](auto done) {
              service.ack("q", {leased.value()[0].receipt}, std::move(done));
            }).value().acked, 1);

  Pending<AckResult> ack_a, ack_b;
  std::vector<Pending<Messages>> receives(3);
  std::uint64_t before = 0;
  {
    TurnGate gate(gate_point->after_commit, [&] { service.check_health([](Result<Health>) {}); });
    before = postgres->round_trips();
    service.ack("q", {leased.value()[1].receipt}, ack_a.callback());
    service.ack("q", {leased.value()[2].receipt, leased.value()[3].receipt}, ack_b.callback());
    for (auto& r : receives) service.receive("q", {2, std::nullopt, 0}, r.callback());
    gate.release();
  }
  EXPECT_EQ(ack_a.get().value().acked, 1);
  EXPECT_EQ(ack_b.get().value().acked, 2);
  std::size_t received = 0;
  for (auto& r : receives) received += r.get().value().size();
  EXPECT_EQ(received, 6u);
  // BEGIN..the acks' DELETE; RELEASE..the receives' SELECT; COMMIT. One by one it
  // was five statements and the COMMIT.
  EXPECT_EQ(postgres->round_trips() - before, 3u);
  service.shutdown();
}

}  // namespace
}  // namespace queue::testing
