#include "tests/concurrency/consumer_crowd.h"

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "tests/concurrency/queue_api_client.h"

namespace robustness {
namespace {

// Long enough that no lease expires while its holder works: every second delivery
// then comes from a release, and an overlap can only be the server's doing.
constexpr int visibility_timeout_s = 60;
// Receives park at most this long, so consumers notice quickly that the backlog is done.
constexpr int wait_s = 1;

std::vector<std::string> receipts_of(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> receipts;
  for (const Delivery& delivery : deliveries) receipts.push_back(delivery.receipt);
  return receipts;
}

class Crowd {
 public:
  Crowd(const QueueServer& server, const CrowdOptions& options)
      : server_(server), options_(options), deadline_(std::chrono::steady_clock::now() + options.deadline) {}

  CrowdResult run() {
    std::vector<std::thread> threads;
    for (int consumer = 0; consumer < options_.consumers; ++consumer) {
      threads.emplace_back([this, consumer] { consume_guarded(consumer); });
    }
    for (std::thread& thread : threads) thread.join();
    result_.timed_out = acked_ < options_.messages_to_ack;
    return std::move(result_);
  }

 private:
  void consume_guarded(int consumer) {
    try {
      consume(consumer);
    } catch (const std::exception& error) {
      fail("consumer " + std::to_string(consumer) + ": " + error.what());
    }
  }

  void consume(int consumer) {
    QueueApiClient client(server_);
    std::mt19937_64 random(options_.seed + static_cast<std::uint64_t>(consumer));
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
    while (acked_ < options_.messages_to_ack && std::chrono::steady_clock::now() < deadline_) {
      Answer<std::vector<Delivery>> received =
          client.receive(options_.queue, {1 + pick(options_.max_per_receive), visibility_timeout_s, wait_s});
      SteadyTime start = std::chrono::steady_clock::now();
      if (!received.ok()) return fail("receive answered " + std::to_string(received.status) + ": " + received.problem);

      std::vector<Delivery> to_release;
      std::vector<Delivery> to_ack;
      for (Delivery& delivery : *received.value) {
        bool release = options_.release_one_in > 0 && pick(options_.release_one_in) == 0 &&
                       delivery.receive_count < options_.release_below_receive_count;
        (release ? to_release : to_ack).push_back(std::move(delivery));
      }
      if (!to_release.empty()) {
        SteadyTime end = std::chrono::steady_clock::now();
        Answer<VisibilityOutcome> released = client.change_visibility(options_.queue, receipts_of(to_release), 0);
        if (!released.ok() || released.value->updated != static_cast<int>(to_release.size()) ||
            !released.value->failed.empty()) {
          return fail("release of " + std::to_string(to_release.size()) + " current leases answered " +
                      std::to_string(released.status) + " " + released.problem +
                      (released.ok() ? " updated=" + std::to_string(released.value->updated) : ""));
        }
        record(to_release, consumer, start, end, false);
      }
      if (!to_ack.empty()) {
        SteadyTime end = std::chrono::steady_clock::now();
        Answer<AckOutcome> acked = client.ack(options_.queue, receipts_of(to_ack));
        if (!acked.ok() || acked.value->acked != static_cast<int>(to_ack.size()) || !acked.value->failed.empty()) {
          return fail("ack of " + std::to_string(to_ack.size()) + " current leases answered " +
                      std::to_string(acked.status) + " " + acked.problem +
                      (acked.ok() ? " acked=" + std::to_string(acked.value->acked) : ""));
        }
        record(to_ack, consumer, start, end, true);
        acked_ += to_ack.size();
      }
    }
  }

  void record(const std::vector<Delivery>& deliveries, int consumer, SteadyTime start, SteadyTime end, bool acked) {
    std::lock_guard lock(mutex_);
    for (const Delivery& delivery : deliveries) {
      result_.leases.push_back(
          Lease{delivery.id, delivery.body, delivery.group_id, consumer, delivery.receive_count, start, end, acked});
    }
  }

  void fail(std::string what) {
    std::lock_guard lock(mutex_);
    result_.failures.push_back(std::move(what));
  }

  const QueueServer& server_;
  const CrowdOptions& options_;
  const SteadyTime deadline_;
  std::atomic<std::size_t> acked_{0};
  std::mutex mutex_;
  CrowdResult result_;
};

}  // namespace

CrowdResult run_consumer_crowd(const QueueServer& server, const CrowdOptions& options) {
  return Crowd(server, options).run();
}

}  // namespace robustness
