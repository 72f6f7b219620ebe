// The heartbeat on its own, one tick() at a time: no thread, no sleeping.
#include "queue/worker/heartbeat.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "tests/worker/test_support.h"

namespace queue::worker::testing {
namespace {

using std::chrono::seconds;

class HeartbeatTest : public ::testing::Test {
 protected:
  Heartbeat make_heartbeat() {
    return Heartbeat(fake, "q", book, *clock, HeartbeatOptions{},
                     LeaseEvents{.lost = [this](const LeasePtr& lease) { lost.push_back(lease); },
                                 .acked = [](const LeasePtr&) {},
                                 .client_error = [this](std::string_view, const contract::Error&) { ++errors; }});
  }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  FakeQueueClient fake{clock};
  LeaseBook book;
  std::vector<LeasePtr> lost;
  int errors = 0;
};

TEST_F(HeartbeatTest, ExtendsOnlyOnceLessThanAThirdOfTheLeaseRemains) {
  auto leases = take_leases(fake, book, *clock, 3, LeaseState::running);
  Heartbeat heartbeat = make_heartbeat();

  fake.advance(seconds(19));  // 11 s of 30 left
  heartbeat.tick();
  EXPECT_TRUE(fake.visibility_calls().empty());

  fake.advance(seconds(2));  // 9 s left
  heartbeat.tick();
  ASSERT_EQ(fake.visibility_calls().size(), 1u);
  EXPECT_EQ(fake.visibility_calls()[0].timeout_s, 30);
  EXPECT_EQ(fake.visibility_calls()[0].receipts.size(), 3u);

  heartbeat.tick();  // extended: 30 s left again, nothing to do
  EXPECT_EQ(fake.visibility_calls().size(), 1u);
  fake.advance(seconds(25));  // past the first lease, well within the extended one
  heartbeat.tick();
  EXPECT_TRUE(lost.empty());
  EXPECT_EQ(fake.visibility_calls().size(), 2u);
  for (const LeasePtr& lease : leases) EXPECT_FALSE(lease->stop.stop_requested());
}

TEST_F(HeartbeatTest, BatchesExtensionsAHundredReceiptsPerCall) {
  take_leases(fake, book, *clock, 250, LeaseState::running);
  Heartbeat heartbeat = make_heartbeat();
  fake.advance(seconds(21));
  heartbeat.tick();

  auto calls = fake.visibility_calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].receipts.size(), 100u);
  EXPECT_EQ(calls[1].receipts.size(), 100u);
  EXPECT_EQ(calls[2].receipts.size(), 50u);
  std::set<std::string> distinct;
  for (const auto& call : calls) distinct.insert(call.receipts.begin(), call.receipts.end());
  EXPECT_EQ(distinct.size(), 250u);
}

TEST_F(HeartbeatTest, ARefusedExtensionIsALostLeaseAndFiresTheStopToken) {
  auto leases = take_leases(fake, book, *clock, 2, LeaseState::running);
  Heartbeat heartbeat = make_heartbeat();
  fake.steal_lease(leases[0]->message.id);
  fake.advance(seconds(21));
  heartbeat.tick();

  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0], leases[0]);
  EXPECT_EQ(book.size(), 1u);
  EXPECT_FALSE(leases[1]->stop.stop_requested());
}

TEST_F(HeartbeatTest, ALeaseWhoseExpiryPassesWithoutAnExtensionIsLost) {
  auto leases = take_leases(fake, book, *clock, 1, LeaseState::running);
  Heartbeat heartbeat = make_heartbeat();
  fake.fail_visibility(error(contract::ErrorCode::unavailable));
  fake.advance(seconds(21));
  heartbeat.tick();  // tried, failed: still held
  EXPECT_TRUE(lost.empty());
  EXPECT_EQ(errors, 1);

  fake.advance(seconds(9));  // the expiry itself
  heartbeat.tick();
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(book.size(), 0u);
}

TEST_F(HeartbeatTest, ARefusalForALeaseWhoseAckIsUnderwayIsLeftToTheAck) {
  // The ack may have deleted the message a moment before the extension arrived.
  auto leases = take_leases(fake, book, *clock, 1, LeaseState::ack_pending);
  Heartbeat heartbeat = make_heartbeat();
  fake.steal_lease(leases[0]->message.id);
  fake.advance(seconds(21));
  heartbeat.tick();
  EXPECT_EQ(fake.visibility_calls().size(), 1u);
  EXPECT_TRUE(lost.empty());
  EXPECT_EQ(book.size(), 1u);
}

TEST_F(HeartbeatTest, HandlerTimeoutFiresTheTokenOnceWithItsReason) {
  auto leases = take_leases(fake, book, *clock, 1, LeaseState::waiting);
  ASSERT_TRUE(book.start(leases[0], clock->now() + seconds(5)));
  Heartbeat heartbeat = make_heartbeat();
  fake.advance(seconds(4));
  heartbeat.tick();
  EXPECT_FALSE(leases[0]->stop.stop_requested());
  fake.advance(seconds(1));
  heartbeat.tick();
  EXPECT_TRUE(leases[0]->stop.stop_requested());
  EXPECT_EQ(leases[0]->stop_reason.load(), StopReason::timeout);
  EXPECT_TRUE(lost.empty());
  EXPECT_EQ(book.size(), 1u);  // still running, still leased
}

TEST_F(HeartbeatTest, RunsOnItsOwnThreadUntilStopped) {
  take_leases(fake, book, *clock, 1, LeaseState::running);
  Heartbeat heartbeat(fake, "q", book, *clock, HeartbeatOptions{.interval = std::chrono::milliseconds(2)},
                      LeaseEvents{.lost = [](const LeasePtr&) {}, .acked = [](const LeasePtr&) {},
                                  .client_error = [](std::string_view, const contract::Error&) {}});
  heartbeat.start();
  fake.advance(seconds(21));
  EXPECT_TRUE(fake.wait_until([&] { return fake.visibility_calls().size() == 1; }));
  heartbeat.stop();
}

}  // namespace
}  // namespace queue::worker::testing
