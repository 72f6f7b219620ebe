// The driver over Queue's C++ client and the worker SDK drain, against the worker SDK's
// in-memory FakeQueueClient (tests/worker): what a receive hands the workloads, that an
// ack reaches the queue, and that a drain counts what it acked and checks the bodies.
#include <gtest/gtest.h>

#include "bench/contract/worker_drain.h"
#include "bench/drivers/client.h"
#include "bench/payload.h"
#include "tests/worker/fake_queue_client.h"

namespace bench {
namespace {

using queue::worker::ManualClock;
using queue::worker::testing::FakeQueueClient;

struct Fixture {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<FakeQueueClient> fake = std::make_shared<FakeQueueClient>(clock);

  Target target() const {
    Target target;
    target.system = System::contract;
    target.contract = fake;
    return target;
  }
};

TEST(ContractClient, ReceiveHandsOverBodyAndReceiptAndAckDeletes) {
  Fixture queue;
  queue.fake->push(make_body({7, 1}));
  queue.fake->push(make_body({8, 1}));
  const std::unique_ptr<Client> client = connect_client(queue.target());

  const std::vector<Delivery> got = client->receive(10, std::chrono::seconds(0));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(read_body(got[0].body)->seq, 7u);
  EXPECT_EQ(got[0].handle, queue.fake->receipt_of("1"));
  client->ack(got);
  EXPECT_EQ(queue.fake->remaining(), 0u);
  EXPECT_TRUE(client->receive(10, std::chrono::seconds(0)).empty());
}

TEST(ContractClient, FailuresThrowWithTheCode) {
  Fixture queue;
  queue.fake->push(make_body({0, 1}));
  const std::unique_ptr<Client> client = connect_client(queue.target());
  const std::vector<Delivery> got = client->receive(1, std::chrono::seconds(0));
  queue.fake->fail_acks(queue::worker::testing::error(queue::contract::ErrorCode::unavailable));
  try {
    client->ack(got);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& failure) {
    EXPECT_NE(std::string(failure.what()).find("unavailable"), std::string::npos) << failure.what();
  }
  EXPECT_THROW(client->send(std::vector<std::string>{"x"}), std::runtime_error);  // the fake refuses sends
}

TEST(ContractClient, NeedsAClient) {
  Target target;
  target.system = System::contract;
  EXPECT_THROW(connect_client(target), std::invalid_argument);
}

TEST(WorkerDrain, AcksEveryMessageOnceAndChecksTheBodies) {
  Fixture queue;
  constexpr std::uint64_t kMessages = 200;
  for (std::uint64_t seq = 0; seq < kMessages; ++seq) queue.fake->push(make_body({seq, 1}));
  Plan plan;
  plan.target = queue.target();
  plan.connections = 4;
  plan.messages = kMessages;

  const Result result = drain_with_worker(plan);
  EXPECT_EQ(result.messages, kMessages);
  EXPECT_EQ(result.errors, 0u);
  EXPECT_GT(result.seconds, 0);
  ASSERT_TRUE(result.ledger);
  EXPECT_EQ(result.ledger->distinct, kMessages);
  EXPECT_EQ(result.ledger->losses, 0u);
  EXPECT_EQ(result.ledger->corrupt, 0u);
  EXPECT_FALSE(result.failed());
  EXPECT_EQ(queue.fake->remaining(), 0u);
}

TEST(WorkerDrain, AQueueThatRunsDryBeforeTheCountEndsAfterTheDrainTimeoutWithLosses) {
  Fixture queue;
  queue.fake->push(make_body({0, 1}));
  Plan plan;
  plan.target = queue.target();
  plan.connections = 2;
  plan.messages = 2;
  plan.drain_timeout = std::chrono::seconds(1);

  const Result result = drain_with_worker(plan);
  EXPECT_EQ(result.messages, 1u);
  ASSERT_TRUE(result.ledger);
  EXPECT_EQ(result.ledger->losses, 1u);
  EXPECT_TRUE(result.failed());
}

}  // namespace
}  // namespace bench
