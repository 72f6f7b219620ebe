// A full disk under the message log, through the QueueService (engine thread,
// group commit, retention sweep) with a ManualClock: sends answer `unavailable`,
// nothing accepted is lost, receives and acks keep working so consumers can drain,
// and once they did, the sweep frees the segments and sends work again by
// themselves. Also: a drained log shrinks back to about two segments, and a
// transient I/O error fails one batch only.
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/log.h"
#include "queue/core/clock.h"
#include "queue/core/service.h"
#include "queue/storage/log/log_store.h"
#include "tests/log/faulty_file_system.h"

namespace queue::storage::log {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using core::Result;
using testing::FaultyFileSystem;

constexpr char directory[] = "/data/log";
constexpr std::uint64_t segment = min_segment_bytes;

// Waits (bounded) for the one callback of an asynchronous call.
template <typename T, typename Call>
Result<T> await(Call&& call) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  call([promise](Result<T> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(10s) != std::future_status::ready) {
    ADD_FAILURE() << "callback did not run within 10 s";
    return core::Error{ErrorCode::internal, "timeout"};
  }
  return future.get();
}

std::string body(int n) { return "message " + std::to_string(n) + " " + std::string(8000, static_cast<char>('a' + n % 26)); }

class DiskFull : public ::testing::Test {
 protected:
  DiskFull() { common::log::init(common::log::Level::error); }
  ~DiskFull() override {
    if (service_) service_->shutdown();
  }

  void open() {
    if (service_) service_->shutdown();
    service_.reset();
    LogOptions options;
    options.segment_bytes = segment;
    options.files = &files_;
    auto store = std::make_unique<LogStore>(directory, Durability::fsync, options);
    store_ = store.get();
    core::ServiceOptions service_options;
    service_options.sweep_interval_ms = 1'000;
    service_ = std::make_unique<core::QueueService>(std::move(store), clock_, service_options);
    service_->start();
  }

  // Stops the engine thread, so the test may look at the store.
  LogStore& stopped_store() {
    service_->shutdown();
    return *store_;
  }

  void settle() {
    auto health = await<core::Health>([&](auto done) { service_->check_health(std::move(done)); });
    ASSERT_TRUE(health.ok());
  }

  // One sweep interval later: the engine sweeps (retention, compaction, segment removal).
  void sweep() {
    clock_->advance(1'001);
    service_->nudge();
    settle();
  }

  void create_queue() {
    auto created = await<core::PutQueueResult>([&](auto done) { service_->put_queue("q", {}, std::move(done)); });
    ASSERT_TRUE(created.ok()) << created.error().message;
  }

  Result<core::SendResult> send(const std::vector<int>& numbers) {
    std::vector<core::OutgoingMessage> messages;
    for (int n : numbers) {
      core::OutgoingMessage m;
      m.body = body(n);
      messages.push_back(std::move(m));
    }
    return await<core::SendResult>([&](auto done) { service_->send("q", std::move(messages), std::move(done)); });
  }

  // Sends batches of `batch` until the store answers unavailable; returns the
  // numbers of the messages it accepted.
  std::set<int> fill(int batch, int first = 0) {
    std::set<int> accepted;
    for (int next = first; next < first + 5'000; next += batch) {
      std::vector<int> numbers;
      for (int i = 0; i < batch; ++i) numbers.push_back(next + i);
      auto sent = send(numbers);
      if (!sent.ok()) {
        EXPECT_EQ(sent.error().code, ErrorCode::unavailable) << sent.error().message;
        return accepted;
      }
      accepted.insert(numbers.begin(), numbers.end());
    }
    ADD_FAILURE() << "the disk never filled";
    return accepted;
  }

  // Receives and acks `per_call` at a time until the queue is empty; every message
  // received must be one of `expected`, once. Returns what was received.
  std::set<int> drain(int per_call, const std::set<int>& expected) {
    std::set<int> received;
    for (int round = 0; round < 10'000; ++round) {
      core::ReceiveOptions options;
      options.max = per_call;
      auto got = await<std::vector<core::ReceivedMessage>>(
          [&](auto done) { service_->receive("q", options, std::move(done)); });
      EXPECT_TRUE(got.ok()) << "a receive failed on a full disk: " << got.error().message;
      if (!got.ok() || got.value().empty()) return received;
      std::vector<std::string> receipts;
      for (const auto& m : got.value()) {
        int n = std::stoi(m.body.substr(8));
        EXPECT_EQ(m.body, body(n));
        EXPECT_TRUE(expected.contains(n)) << "never accepted: " << n;
        EXPECT_TRUE(received.insert(n).second) << "received twice: " << n;
        receipts.push_back(m.receipt);
      }
      auto acked = await<core::AckResult>([&](auto done) { service_->ack("q", receipts, std::move(done)); });
      EXPECT_TRUE(acked.ok()) << "an ack failed on a full disk: " << acked.error().message;
      if (acked.ok()) {
        EXPECT_EQ(acked.value().acked, static_cast<std::int64_t>(receipts.size()));
      }
    }
    ADD_FAILURE() << "the drain did not end";
    return received;
  }

  // Sweeps until a send is accepted again; the number of sweeps it took.
  int sweeps_until_sends_work() {
    for (int sweeps = 0; sweeps <= 20; ++sweeps) {
      auto sent = send({100'000 + sweeps});
      if (sent.ok()) return sweeps;
      EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
      sweep();
    }
    return -1;
  }

  FaultyFileSystem files_;
  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  LogStore* store_ = nullptr;
  std::unique_ptr<core::QueueService> service_;
};

TEST_F(DiskFull, SendsAnswerUnavailableWhileReceivesAndAcksDrainThenSendsWorkAgain) {
  files_.set_capacity(3 * segment);
  open();
  create_queue();
  std::set<int> accepted = fill(10);
  ASSERT_GT(accepted.size(), 500u);  // about 3 segments of 8 KB messages
  // A single message may still fit where ten did not; then it is refused too.
  accepted.merge(fill(1, 10'000));
  auto one_more = send({90'000});
  ASSERT_FALSE(one_more.ok());
  EXPECT_EQ(one_more.error().code, ErrorCode::unavailable);

  // Consumers as they usually run: one message per receive, one ack per message.
  EXPECT_EQ(drain(1, accepted), accepted);
  int sweeps = sweeps_until_sends_work();
  EXPECT_GE(sweeps, 0) << "sends never worked again after the drain";
  EXPECT_LE(sweeps, 3);
  EXPECT_LE(files_.used_bytes(), 3 * segment);
}

TEST_F(DiskFull, BatchedConsumersDrainAFullDiskToo) {
  files_.set_capacity(3 * segment + segment / 2);
  open();
  create_queue();
  std::set<int> accepted = fill(1);
  ASSERT_GT(accepted.size(), 500u);
  EXPECT_EQ(drain(10, accepted), accepted);
  EXPECT_GE(sweeps_until_sends_work(), 0) << "sends never worked again after the drain";
}

TEST_F(DiskFull, NothingAcceptedIsLostAcrossARestartOnAFullDisk) {
  files_.set_capacity(3 * segment);
  open();
  create_queue();
  std::set<int> accepted = fill(10);
  ASSERT_GT(accepted.size(), 500u);
  accepted.merge(fill(1, 10'000));
  // A restart recovers on the full disk (it cuts and re-allocates the last segment
  // in place, which needs no new space) and still answers unavailable to sends.
  open();
  auto sent = send({90'000});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_EQ(drain(7, accepted), accepted);
  EXPECT_GE(sweeps_until_sends_work(), 0);
}

TEST_F(DiskFull, ADrainedLogShrinksBackToAboutTwoSegments) {
  open();
  create_queue();
  std::set<int> accepted;
  for (int n = 0; n < 1'200; n += 20) {  // ~10 MB: five segments or so
    std::vector<int> numbers;
    for (int i = 0; i < 20; ++i) numbers.push_back(n + i);
    ASSERT_TRUE(send(numbers).ok());
    accepted.insert(numbers.begin(), numbers.end());
  }
  EXPECT_EQ(drain(10, accepted), accepted);
  for (int i = 0; i < 5; ++i) sweep();
  LogStore& store = stopped_store();
  EXPECT_LE(store.segment_count(), 2u);
  EXPECT_EQ(store.message_count(), 0u);
  EXPECT_LE(files_.used_bytes(), 3 * segment);  // the segments in use and a spare at most
}

TEST_F(DiskFull, ATransientWriteErrorFailsOneBatchOnlyAndLosesNothing) {
  open();
  create_queue();
  std::set<int> accepted;
  for (int n = 0; n < 40; ++n) {
    // Every fifth send meets an I/O error on its write or sync.
    if (n % 5 == 2) files_.fail_at(1 + n % 2, EIO);
    auto sent = send({n});
    files_.fail_at(0, 0);
    if (n % 5 == 2) {
      ASSERT_FALSE(sent.ok()) << n;
      EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
      continue;
    }
    ASSERT_TRUE(sent.ok()) << n << ": " << sent.error().message;
    accepted.insert(n);
  }
  // A failed sync leaves the batch's records written: those messages may show up,
  // at least once; every accepted one must.
  std::set<int> may_appear = accepted;
  for (int n = 2; n < 40; n += 5) may_appear.insert(n);
  std::set<int> received = drain(3, may_appear);
  for (int n : accepted) EXPECT_TRUE(received.contains(n)) << "lost " << n;
}

}  // namespace
}  // namespace queue::storage::log
