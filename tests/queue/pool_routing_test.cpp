// How a pool of engines routes (service.h, "A pool of engines"): every operation on
// a FIFO queue, and every one but the consuming ones on a standard queue, meets in
// the engine its name picks; a standard queue's receives, acks and visibility
// changes, and operations on no queue, take turns.
//
// Each engine here runs over its OWN in-memory database that claims to be shared,
// so an operation that reached any other engine than the one its queue was created
// in would find no queue: routing becomes directly observable.
#include <set>

#include "forwarding_store.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

constexpr int engines = 3;
constexpr int queues = 12;

class IsolatedShard final : public ForwardingStore {
 public:
  IsolatedShard() : ForwardingStore(storage::open_store({"sqlite::memory:"})) {}
  bool shared() const override { return true; }
};

struct ShardedService {
  ShardedService() {
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < engines; ++i) stores.push_back(std::make_unique<IsolatedShard>());
    service = std::make_unique<QueueService>(std::move(stores), clock);
    service->start();
  }
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<QueueService> service;
};

std::string name_of(int i) { return "queue-" + std::to_string(i); }

TEST(PoolRouting, EveryOperationOnAFifoQueueMeetsInOneEngine) {
  ShardedService s;
  QueueService& service = *s.service;
  for (int i = 0; i < queues; ++i) {
    const std::string name = name_of(i) + ".fifo";
    SCOPED_TRACE(name);
    ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service.put_queue(name, {}, done); }).ok());
    EXPECT_TRUE(await<QueueInfo>([&](auto done) { service.get_queue(name, done); }).ok());
    ASSERT_TRUE(await<SendResult>([&](auto done) {
                  service.send(name, {fifo_message("a", "g1"), fifo_message("b", "g2")}, done);
                }).ok());
    auto got = await<std::vector<ReceivedMessage>>([&](auto done) { service.receive(name, {2, 30, 0}, done); });
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got.value().size(), 2u);
    auto changed = await<VisibilityResult>(
        [&](auto done) { service.change_visibility(name, {got.value()[0].receipt}, 60, done); });
    EXPECT_EQ(changed.value().updated, 1);
    auto acked = await<AckResult>([&](auto done) { service.ack(name, {got.value()[1].receipt}, done); });
    EXPECT_EQ(acked.value().acked, 1);
    auto peeked = await<PeekPage>([&](auto done) { service.peek(name, PeekRequest{PeekState::in_flight, 10, ""}, done); });
    EXPECT_EQ(peeked.value().messages.size(), 1u);
    EXPECT_EQ(await<PurgeResult>([&](auto done) { service.purge(name, done); }).value().purged, 1);
    EXPECT_TRUE(await<RedriveResult>([&](auto done) { service.redrive(name, {}, done); }).ok());
    EXPECT_TRUE(await<Done>([&](auto done) { service.delete_queue(name, done); }).ok());
  }
}

TEST(PoolRouting, AStandardQueuesReceivesTakeTurnsOverTheEnginesAndItsSendsDoNot) {
  ShardedService s;
  QueueService& service = *s.service;
  ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service.put_queue("hot", {}, done); }).ok());
  // Sends meet in the home engine: its shard is the only one that has the queue.
  for (int i = 0; i < engines; ++i) {
    ASSERT_TRUE(await<SendResult>([&](auto done) { service.send("hot", {message("m")}, done); }).ok());
  }
  // Receives visit every engine in turn: only the home engine's one finds the queue.
  int found = 0;
  int not_found = 0;
  for (int i = 0; i < engines; ++i) {
    auto got = await<std::vector<ReceivedMessage>>([&](auto done) { service.receive("hot", {1, 30, 0}, done); });
    if (got.ok()) {
      ++found;
    } else {
      EXPECT_EQ(got.error().code, ErrorCode::queue_not_found);
      ++not_found;
    }
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(not_found, engines - 1);
}

TEST(PoolRouting, QueuesSpreadOverTheEnginesAndListingsTakeTurns) {
  ShardedService s;
  QueueService& service = *s.service;
  for (int i = 0; i < queues; ++i) {
    ASSERT_TRUE(await<PutQueueResult>([&](auto done) { service.put_queue(name_of(i), {}, done); }).ok());
  }
  // One listing per engine, in turn: each sees only its own shard's queues.
  std::set<std::string> seen;
  for (int turn = 0; turn < engines; ++turn) {
    auto listed = await<QueueList>([&](auto done) { service.list_queues({}, done); });
    ASSERT_TRUE(listed.ok());
    EXPECT_LT(listed.value().names.size(), static_cast<std::size_t>(queues)) << "every queue in one engine";
    seen.insert(listed.value().names.begin(), listed.value().names.end());
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(queues));
}

TEST(PoolRouting, HealthAnswersForEveryEngine) {
  ShardedService s;
  auto health = await<Health>([&](auto done) { s.service->check_health(done); });
  ASSERT_TRUE(health.ok());
  s.service->shutdown();
  auto refused = await<Health>([&](auto done) { s.service->check_health(done); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace queue::testing
