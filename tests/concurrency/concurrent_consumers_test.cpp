// Many consumers on one queue of the real queue-server: no message is ever held by
// two consumers at once, every message is delivered, and on a FIFO queue each group
// delivers in send order with never two of its messages in flight.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/concurrency/consumer_crowd.h"
#include "tests/concurrency/leases.h"
#include "tests/concurrency/queue_api_client.h"
#include "tests/concurrency/queue_server.h"
#include "tests/integration/temp_dir.h"

namespace robustness {
namespace {

constexpr int consumers = 16;
constexpr std::size_t send_batch = 100;

// QUEUE_CONCURRENCY_SEED replays a run; otherwise each run picks (and prints) its own.
std::uint64_t seed() {
  static const std::uint64_t value = [] {
    const char* given = std::getenv("QUEUE_CONCURRENCY_SEED");
    std::uint64_t chosen = given ? std::strtoull(given, nullptr, 10) : std::random_device{}();
    std::cout << "concurrency test seed=" << chosen << " (QUEUE_CONCURRENCY_SEED to replay)\n";
    return chosen;
  }();
  return value;
}

class ConcurrentConsumers : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }

  // Sends `messages` in batches, in order; returns body -> id.
  std::map<std::string, std::string> send_all(const std::string& queue, const std::vector<OutgoingMessage>& messages) {
    std::map<std::string, std::string> ids;
    for (std::size_t first = 0; first < messages.size(); first += send_batch) {
      std::vector<OutgoingMessage> batch(
          messages.begin() + static_cast<std::ptrdiff_t>(first),
          messages.begin() + static_cast<std::ptrdiff_t>(std::min(first + send_batch, messages.size())));
      Answer<std::vector<std::string>> sent = client_.send(queue, batch);
      EXPECT_EQ(sent.status, 201) << sent.problem;
      if (!sent.ok()) return ids;
      for (std::size_t i = 0; i < batch.size(); ++i) ids[batch[i].body] = (*sent.value)[i];
    }
    return ids;
  }

  void expect_empty(const std::string& queue) {
    Answer<QueueStats> stats = client_.stats(queue);
    ASSERT_TRUE(stats.ok()) << stats.problem;
    EXPECT_EQ(stats.value->total(), 0) << "visible=" << stats.value->visible << " in_flight=" << stats.value->in_flight
                                       << " delayed=" << stats.value->delayed;
  }

  CrowdResult run_crowd(const std::string& queue, std::size_t backlog) {
    CrowdOptions options;
    options.queue = queue;
    options.consumers = consumers;
    options.messages_to_ack = backlog;
    options.seed = seed();
    CrowdResult result = run_consumer_crowd(server_, options);
    for (const std::string& failure : result.failures) ADD_FAILURE() << failure;
    EXPECT_FALSE(result.timed_out) << "the crowd did not ack the whole backlog in time";
    std::size_t released = 0;
    std::set<int> busy_consumers;
    for (const Lease& lease : result.leases) {
      released += !lease.acked;
      busy_consumers.insert(lease.consumer);
    }
    std::size_t together = max_concurrent(result.leases);
    std::cout << queue << ": messages=" << backlog << " deliveries=" << result.leases.size() << " released=" << released
              << " consumers_with_work=" << busy_consumers.size() << " max_leases_held_at_once=" << together << "\n";
    // Not a rule of the queue: a check that this run tested anything concurrent at all.
    EXPECT_GT(together, 1u) << "the consumers never held leases at the same time";
    EXPECT_GT(released, 0u) << "no lease changed hands";
    return result;
  }

  test_support::TempDir dir_;
  QueueServer server_{QUEUE_SERVER_BINARY, dir_.path()};
  QueueApiClient client_{server_};
};

TEST_F(ConcurrentConsumers, NoMessageIsHeldByTwoConsumersAtOnceAndEveryOneIsDelivered) {
  const std::string queue = "shared";
  constexpr std::size_t backlog = 1500;
  ASSERT_EQ(client_.put_queue(queue).status, 201);
  std::vector<OutgoingMessage> messages;
  for (std::size_t i = 0; i < backlog; ++i) messages.push_back({"m-" + std::to_string(i), std::nullopt});
  std::map<std::string, std::string> ids = send_all(queue, messages);
  ASSERT_EQ(ids.size(), backlog);

  CrowdResult result = run_crowd(queue, backlog);

  for (const std::string& overlap : find_overlaps(result.leases, [](const Lease& lease) { return lease.message_id; })) {
    ADD_FAILURE() << "held twice at once: " << overlap;
  }
  std::map<std::string, int> acks;
  for (const Lease& lease : result.leases) {
    auto sent = ids.find(lease.body);
    ASSERT_NE(sent, ids.end()) << "delivered a body never sent: " << lease.body;
    EXPECT_EQ(sent->second, lease.message_id) << "delivered " << lease.body << " under another id";
    acks[lease.message_id] += lease.acked;
  }
  for (const auto& [body, id] : ids) EXPECT_EQ(acks[id], 1) << body << " (id " << id << ") acked that many times";
  expect_empty(queue);
}

TEST_F(ConcurrentConsumers, FifoGroupsDeliverInSendOrderWithOneInFlightPerGroup) {
  const std::string queue = "ordered.fifo";
  constexpr int groups = 8;
  constexpr int per_group = 40;
  ASSERT_EQ(client_.put_queue(queue).status, 201);
  // Groups interleaved, so every batch mixes them and order holds within each group only.
  std::vector<OutgoingMessage> messages;
  for (int position = 0; position < per_group; ++position) {
    for (int group = 0; group < groups; ++group) {
      messages.push_back({"g" + std::to_string(group) + "-" + std::to_string(position), "g" + std::to_string(group)});
    }
  }
  ASSERT_EQ(send_all(queue, messages).size(), messages.size());

  CrowdResult result = run_crowd(queue, messages.size());

  auto group_of = [](const Lease& lease) { return lease.group_id.value_or("(no group)"); };
  for (const std::string& overlap : find_overlaps(result.leases, group_of)) {
    ADD_FAILURE() << "two of one group in flight at once: " << overlap;
  }
  // Per group, in the order the leases began: each delivery is the message after the
  // last acked one; a released message comes back before anything behind it.
  std::map<std::string, std::vector<const Lease*>> by_group;
  for (const Lease& lease : result.leases) by_group[group_of(lease)].push_back(&lease);
  ASSERT_EQ(by_group.size(), static_cast<std::size_t>(groups));
  for (auto& [group, leases] : by_group) {
    std::sort(leases.begin(), leases.end(), [](const Lease* a, const Lease* b) { return a->start < b->start; });
    int next = 0;
    for (const Lease* lease : leases) {
      ASSERT_EQ(lease->body, group + "-" + std::to_string(next)) << "out of order in group " << group;
      next += lease->acked;
    }
    EXPECT_EQ(next, per_group) << "group " << group << " did not deliver all its messages";
  }
  expect_empty(queue);
}

}  // namespace
}  // namespace robustness
