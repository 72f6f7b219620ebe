// The acker on its own: batching, per-receipt answers, failed calls, the last flush.
#include "queue/worker/ack_batcher.h"

#include <gtest/gtest.h>

#include <atomic>

#include "tests/worker/test_support.h"

namespace queue::worker::testing {
namespace {

using std::chrono::milliseconds;

class AckBatcherTest : public ::testing::Test {
 protected:
  std::unique_ptr<AckBatcher> make_acker(AckOptions options) {
    return std::make_unique<AckBatcher>(
        fake, "q", book, options,
        LeaseEvents{.lost = [this](const LeasePtr&) { ++lost; },
                    .acked = [this](const LeasePtr&) { ++acked; },
                    .client_error = [this](std::string_view, const contract::Error&) { ++errors; }});
  }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  FakeQueueClient fake{clock};
  LeaseBook book;
  std::atomic<int> lost{0};
  std::atomic<int> acked{0};
  std::atomic<int> errors{0};
};

TEST_F(AckBatcherTest, FullBatchesGoAtOnceAndTheRestOnStop) {
  auto leases = take_leases(fake, book, *clock, 250, LeaseState::ack_pending);
  // A flush delay no test waits for: only a full batch, or stop(), sends.
  auto acker = make_acker(AckOptions{.flush_delay = std::chrono::hours(1), .max_batch = 100});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  ASSERT_TRUE(fake.wait_until([&] { return acked.load() == 200; }));
  EXPECT_EQ(fake.ack_calls().size(), 2u);

  acker->stop();
  auto calls = fake.ack_calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].size(), 100u);
  EXPECT_EQ(calls[1].size(), 100u);
  EXPECT_EQ(calls[2].size(), 50u);
  EXPECT_EQ(acked.load(), 250);
  EXPECT_EQ(fake.remaining(), 0u);
  EXPECT_EQ(book.size(), 0u);
}

TEST_F(AckBatcherTest, AcksArrivingTogetherShareOneCallAfterTheFlushDelay) {
  auto leases = take_leases(fake, book, *clock, 10, LeaseState::ack_pending);
  auto acker = make_acker(AckOptions{.flush_delay = milliseconds(200)});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  ASSERT_TRUE(fake.wait_until([&] { return acked.load() == 10; }));
  ASSERT_EQ(fake.ack_calls().size(), 1u);
  EXPECT_EQ(fake.ack_calls()[0].size(), 10u);
}

TEST_F(AckBatcherTest, ARefusedReceiptIsALostLeaseNeverASuccess) {
  auto leases = take_leases(fake, book, *clock, 3, LeaseState::ack_pending);
  fake.steal_lease(leases[1]->message.id);
  auto acker = make_acker(AckOptions{});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  acker->stop();
  EXPECT_EQ(acked.load(), 2);
  EXPECT_EQ(lost.load(), 1);
  EXPECT_EQ(book.size(), 0u);
}

TEST_F(AckBatcherTest, ATransientFailureIsTriedAgain) {
  auto leases = take_leases(fake, book, *clock, 2, LeaseState::ack_pending);
  fake.fail_acks(error(contract::ErrorCode::unavailable), 1);
  auto acker = make_acker(AckOptions{.retry_pause = milliseconds(1)});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  ASSERT_TRUE(fake.wait_until([&] { return acked.load() == 2; }));
  EXPECT_EQ(fake.ack_calls().size(), 2u);
  EXPECT_EQ(errors.load(), 1);
  EXPECT_EQ(fake.remaining(), 0u);
}

TEST_F(AckBatcherTest, APermanentFailureGivesTheAcksUp) {
  auto leases = take_leases(fake, book, *clock, 2, LeaseState::ack_pending);
  fake.fail_acks(error(contract::ErrorCode::forbidden));
  auto acker = make_acker(AckOptions{});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  acker->stop();
  EXPECT_EQ(fake.ack_calls().size(), 1u);
  EXPECT_EQ(acked.load(), 0);
  EXPECT_EQ(lost.load(), 0);
  EXPECT_EQ(book.size(), 0u);  // no longer ours: the lease runs out, the message comes back
  EXPECT_EQ(fake.remaining(), 2u);
}

TEST_F(AckBatcherTest, ALeaseLostWhileItsAckWaitedIsNotSent) {
  auto leases = take_leases(fake, book, *clock, 2, LeaseState::ack_pending);
  ASSERT_TRUE(book.remove(leases[0]));  // as the heartbeat does when the expiry passed
  auto acker = make_acker(AckOptions{});
  acker->start();
  for (const LeasePtr& lease : leases) acker->add(lease);
  acker->stop();
  ASSERT_EQ(fake.ack_calls().size(), 1u);
  EXPECT_EQ(fake.ack_calls()[0], std::vector<std::string>{leases[1]->message.receipt});
  EXPECT_EQ(acked.load(), 1);
}

}  // namespace
}  // namespace queue::worker::testing
