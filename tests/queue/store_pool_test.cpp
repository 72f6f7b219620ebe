// A pool (QUEUE_DB_POOL_SIZE): one QueueService running an engine per PostgreSQL
// connection, operations routed by queue name. Every rule must hold while the
// engines run at once, and what crosses engines (dead-letter moves, redrives,
// queues referring to queues) must behave as it does across processes.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "postgres_fixture.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

using Messages = std::vector<ReceivedMessage>;

constexpr int pool_size = 3;
// Enough queues that, whatever the name hash, several engines are busy at once.
constexpr int queue_count = 6;

std::string queue_name(int i) { return "q" + std::to_string(i); }

AttributesPatch dead_letter_after(const std::string& queue, int max_receives) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  patch.dead_letter = DeadLetterPolicy{queue, max_receives};
  return patch;
}

ReceiveOptions long_poll() {
  ReceiveOptions options;
  options.max = 10;
  options.wait_ms = 20'000;
  return options;
}

class StorePool : public PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    h = std::make_unique<ServiceHarness>(ServiceHarness::Pool{pool_size});
  }
  void TearDown() override { h.reset(); }
  std::unique_ptr<ServiceHarness> h;
};

TEST_F(StorePool, ManyQueuesUnderConcurrentUseDeliverEveryMessageExactlyOnce) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 60;
  for (int q = 0; q < queue_count; ++q) h->create(queue_name(q), patch);
  constexpr int per_queue = 60;
  std::vector<std::thread> producers;
  for (int q = 0; q < queue_count; ++q) {
    producers.emplace_back([&, q] {
      for (int sent = 0; sent < per_queue; sent += 10) {
        std::vector<OutgoingMessage> batch;
        for (int i = 0; i < 10; ++i) batch.push_back(message(queue_name(q) + "-" + std::to_string(sent + i)));
        EXPECT_TRUE(h->send(queue_name(q), batch).ok());
      }
    });
  }
  for (auto& producer : producers) producer.join();

  DeliveryCounter deliveries(DeliveryCounter::Key::body);
  std::vector<std::thread> consumers;
  for (int c = 0; c < 2 * queue_count; ++c) {
    consumers.emplace_back([&, c] {
      // Two consumers per queue, each starting on its own and then helping the others.
      for (int round = 0; round < queue_count; ++round) {
        std::string queue = queue_name((c + round) % queue_count);
        for (;;) {
          std::vector<std::string> receipts = deliveries.receive(*h, queue, 7);
          if (receipts.empty()) break;
          EXPECT_EQ(h->ack(queue, receipts).value().acked, static_cast<std::int64_t>(receipts.size()));
        }
      }
    });
  }
  for (auto& consumer : consumers) consumer.join();
  const auto counts = deliveries.counts();
  ASSERT_EQ(counts.size(), static_cast<std::size_t>(queue_count * per_queue));
  for (const auto& [body, count] : counts) EXPECT_EQ(count, 1) << body;
  for (int q = 0; q < queue_count; ++q) {
    auto stats = h->stats(queue_name(q));
    EXPECT_EQ(stats.visible + stats.in_flight, 0) << queue_name(q);
  }
}

TEST_F(StorePool, FifoOrderAndDedupHoldWhileOtherEnginesAreBusy) {
  h->create("jobs.fifo");
  for (int q = 0; q < queue_count; ++q) h->create(queue_name(q));
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        OutgoingMessage m = fifo_message(std::to_string(i), "g");
        m.dedup_id = "job-" + std::to_string(i);  // every sender sends the same ten jobs
        EXPECT_TRUE(h->send("jobs.fifo", {m}).ok());
        EXPECT_TRUE(h->send(queue_name((t + i) % queue_count), {message("noise")}).ok());
      }
    });
  }
  for (auto& sender : senders) sender.join();
  // Ten jobs, deduplicated across the senders, one in flight at a time, in order.
  std::vector<std::string> order;
  for (int n = 0; n < 10; ++n) {
    auto got = h->receive_ok("jobs.fifo", 10);
    ASSERT_EQ(got.size(), 1u) << "delivery " << n;
    order.push_back(got[0].body);
    ASSERT_EQ(h->ack("jobs.fifo", {got[0].receipt}).value().acked, 1);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_TRUE(h->receive_ok("jobs.fifo", 10).empty());
}

TEST_F(StorePool, HealthCountsTheParkedReceivesOfEveryEngine) {
  std::vector<Pending<Messages>> waiting(queue_count);
  for (int q = 0; q < queue_count; ++q) {
    h->create(queue_name(q));
    h->service().receive(queue_name(q), long_poll(), waiting[q].callback());
  }
  h->settle();  // a receive is parked once its batch is answered, after a health check in that batch
  auto health = await<Health>([&](auto done) { h->service().check_health(std::move(done)); });
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health.value().parked_receives, static_cast<std::size_t>(queue_count));
  for (int q = 0; q < queue_count; ++q) h->send_one(queue_name(q), "wake " + queue_name(q));
  for (int q = 0; q < queue_count; ++q) {
    EXPECT_EQ(bodies(waiting[q].get().value()), (std::vector<std::string>{"wake " + queue_name(q)}));
  }
}

// A standard queue's receives take turns over the engines (service.h): each engine
// caches the queue's row, and an attribute changed through its home engine must reach
// every one of them before the change is answered.
TEST_F(StorePool, AHotQueueSpreadOverTheEnginesReadsItsOwnAttributeWrites) {
  h->create("hot");
  for (int i = 0; i < pool_size; ++i) h->send_one("hot", "m" + std::to_string(i));
  // Every engine leases once, with the 30 s default, and caches the row.
  for (int i = 0; i < pool_size; ++i) ASSERT_EQ(h->receive_ok("hot").size(), 1u);
  AttributesPatch shorter;
  shorter.visibility_timeout_s = 2;
  ASSERT_TRUE(h->put("hot", shorter).ok());
  h->advance_ms(31'000);
  for (int i = 0; i < pool_size; ++i) ASSERT_EQ(h->receive_ok("hot").size(), 1u);
  // Leased for 2 s by every engine: a stale 30 s lease would still be in flight.
  h->advance_ms(2'000);
  EXPECT_EQ(h->stats("hot").visible, pool_size);
}

// Long polls on one standard queue park on every engine; a send, made on the queue's
// home engine, wakes those parked on the others in-process.
TEST_F(StorePool, LongPollsOnAHotQueueParkOnEveryEngineAndOneSendWakesThemAll) {
  h->create("hot");
  std::vector<Pending<Messages>> waiting(pool_size);
  ReceiveOptions one = long_poll();
  one.max = 1;
  for (auto& w : waiting) h->service().receive("hot", one, w.callback());
  h->settle();
  auto health = await<Health>([&](auto done) { h->service().check_health(std::move(done)); });
  ASSERT_EQ(health.value().parked_receives, static_cast<std::size_t>(pool_size));
  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < pool_size; ++i) batch.push_back(message("m" + std::to_string(i)));
  ASSERT_TRUE(h->send("hot", batch).ok());
  std::set<std::string> bodies_seen;
  for (auto& w : waiting) {
    auto got = w.get();
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got.value().size(), 1u);
    bodies_seen.insert(got.value()[0].body);
  }
  EXPECT_EQ(bodies_seen.size(), static_cast<std::size_t>(pool_size));
}

// Whatever engines the names land on, a receive parked on a dead-letter queue is
// woken by the move another queue's receive makes into it.
TEST_F(StorePool, DeadLetterMoveWakesAReceiveParkedOnTheDeadLetterQueue) {
  std::vector<Pending<Messages>> waiting(queue_count);
  for (int q = 0; q < queue_count; ++q) {
    std::string dlq = "dead" + std::to_string(q);
    h->create(dlq);
    h->create(queue_name(q), dead_letter_after(dlq, 1));
    h->service().receive(dlq, long_poll(), waiting[q].callback());
    h->send_one(queue_name(q), "poison " + std::to_string(q));
    ASSERT_EQ(h->receive_ok(queue_name(q)).size(), 1u);
  }
  h->advance_ms(10'000);  // every lease expires: the next receive moves each message
  for (int q = 0; q < queue_count; ++q) {
    EXPECT_TRUE(h->receive_ok(queue_name(q)).empty());
    // The clock stands still: only the move can answer the parked receive.
    EXPECT_EQ(bodies(waiting[q].get().value()), (std::vector<std::string>{"poison " + std::to_string(q)}));
  }
}

TEST_F(StorePool, RedriveWakesAReceiveParkedOnTheSourceQueue) {
  std::vector<Pending<Messages>> waiting(queue_count);
  for (int q = 0; q < queue_count; ++q) {
    std::string dlq = "dead" + std::to_string(q);
    h->create(dlq);
    h->create(queue_name(q), dead_letter_after(dlq, 1));
    h->send_one(queue_name(q), "retry " + std::to_string(q));
    ASSERT_EQ(h->receive_ok(queue_name(q)).size(), 1u);
  }
  h->advance_ms(10'000);
  for (int q = 0; q < queue_count; ++q) {
    EXPECT_TRUE(h->receive_ok(queue_name(q)).empty());  // moved to its dead-letter queue
    h->service().receive(queue_name(q), long_poll(), waiting[q].callback());
  }
  for (int q = 0; q < queue_count; ++q) {
    auto moved = await<RedriveResult>([&](auto done) {
      h->service().redrive("dead" + std::to_string(q), RedriveRequest{}, std::move(done));
    });
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(moved.value().moved, 1);
  }
  for (int q = 0; q < queue_count; ++q) {
    EXPECT_EQ(bodies(waiting[q].get().value()), (std::vector<std::string>{"retry " + std::to_string(q)}));
  }
}

// A client that deleted a queue and then names it must be told at once, whichever
// engine it asks: what one engine changed is never served stale by another.
TEST_F(StorePool, QueuesReferringToQueuesSeeChangesMadeThroughOtherEngines) {
  for (int q = 0; q < queue_count; ++q) {
    std::string dlq = "dead" + std::to_string(q);
    h->create(dlq);
    h->create(queue_name(q), dead_letter_after(dlq, 3));  // the queue's engine reads (and caches) dlq
    EXPECT_EQ(await<Done>([&](auto done) { h->service().delete_queue(dlq, std::move(done)); }).error().code,
              ErrorCode::conflict);
    AttributesPatch clear;
    clear.dead_letter = std::optional<DeadLetterPolicy>{};
    ASSERT_TRUE(h->put(queue_name(q), clear).ok());
    ASSERT_TRUE(await<Done>([&](auto done) { h->service().delete_queue(dlq, std::move(done)); }).ok());
    auto refused = h->put(queue_name(q), dead_letter_after(dlq, 3));
    ASSERT_FALSE(refused.ok()) << dlq << " was deleted";
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_request);
  }
}

}  // namespace
}  // namespace queue::testing
