// Many consumers on one queue: no message is ever held by two at once.
#include <atomic>
#include <map>
#include <thread>

#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Concurrency);

constexpr int message_count = 600;
constexpr int consumers = 8;

// Every consumer receives until the queue runs dry; returns id -> deliveries.
std::map<std::string, int> drain_concurrently(ServiceHarness& h, bool ack_half) {
  DeliveryCounter deliveries;
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c) {
    threads.emplace_back([&, c] {
      for (int round = 0;; ++round) {
        std::vector<std::string> receipts = deliveries.receive(h, "q", 5);
        if (receipts.empty()) return;
        if (ack_half && (round + c) % 2 == 0) {
          auto acked = h.ack("q", receipts);
          EXPECT_EQ(acked.value().acked, static_cast<std::int64_t>(receipts.size()));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return deliveries.counts();
}

TEST_P(Concurrency, ConsumersNeverShareACurrentLease) {
  ServiceHarness h;
  AttributesPatch patch;
  patch.visibility_timeout_s = 30;
  h.create("q", patch);
  for (int sent = 0; sent < message_count; sent += 100) {
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(message("m" + std::to_string(sent + i)));
    ASSERT_TRUE(h.send("q", batch).ok());
  }

  // The clock stands still, so every lease stays current: exactly one delivery each.
  auto first = drain_concurrently(h, /*ack_half=*/true);
  ASSERT_EQ(first.size(), static_cast<std::size_t>(message_count));
  for (const auto& [id, count] : first) EXPECT_EQ(count, 1) << id;

  // Leases expire: the unacknowledged ones come back, again exactly once each.
  h.advance_ms(30'000);
  std::int64_t remaining = h.stats("q").visible;
  EXPECT_GT(remaining, 0);
  EXPECT_LT(remaining, message_count);
  auto second = drain_concurrently(h, /*ack_half=*/false);
  EXPECT_EQ(static_cast<std::int64_t>(second.size()), remaining);
  for (const auto& [id, count] : second) {
    EXPECT_EQ(count, 1) << id;
    EXPECT_EQ(first.count(id), 1u);
  }
}

}  // namespace
}  // namespace queue::testing
