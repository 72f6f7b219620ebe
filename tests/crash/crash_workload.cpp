#include "tests/crash/crash_workload.h"

#include <random>

namespace robustness {
namespace {

// A client's pause before asking again while the server is down or still opening:
// fault-injection pacing, not lease logic.
constexpr auto retry_pause = std::chrono::milliseconds(20);
// How long a consumer keeps re-sending an unanswered ack: long enough to outlast an
// outage (the receipt may still be current after the restart), short enough that
// it does not hold its messages forever.
constexpr auto ack_persistence = std::chrono::seconds(3);
constexpr auto client_timeout = std::chrono::seconds(5);
constexpr int max_batch = 5;
constexpr int max_filler = 64;
constexpr int max_receive = 10;
constexpr int wait_s = 1;

template <typename T>
std::string describe(const std::string& request, const Answer<T>& answer) {
  return request + " answered " + std::to_string(answer.status) + ": " + answer.problem;
}

// Acks `deliveries`, asking again while the server does not answer. Records a 2xx in the ledger.
void ack_persistently(QueueApiClient& client, CrashLedger& ledger, const std::string& queue,
                      const std::vector<Delivery>& deliveries) {
  std::vector<std::string> receipts;
  for (const Delivery& delivery : deliveries) receipts.push_back(delivery.receipt);
  auto give_up = std::chrono::steady_clock::now() + ack_persistence;
  for (;;) {
    Answer<AckOutcome> answer = client.ack(queue, receipts);
    if (answer.ok()) {
      ledger.acked(deliveries, *answer.value);
      return;
    }
    if (!answer.retryable()) return ledger.violation(describe("ack", answer));
    if (std::chrono::steady_clock::now() >= give_up) return;  // the leases will expire and come back
    std::this_thread::sleep_for(retry_pause);
  }
}

}  // namespace

CrashWorkload::CrashWorkload(const QueueServer& server, CrashLedger& ledger, CrashWorkloadOptions options)
    : server_(server), ledger_(ledger), options_(std::move(options)) {}

CrashWorkload::~CrashWorkload() {
  stop_producers();
  stop_consumers();
}

void CrashWorkload::start() {
  producing_ = true;
  consuming_ = true;
  for (int i = 0; i < options_.producers; ++i) producers_.emplace_back([this, i] { produce(i); });
  for (int i = 0; i < options_.consumers; ++i) consumers_.emplace_back([this, i] { consume(i); });
}

void CrashWorkload::stop_producers() {
  producing_ = false;
  for (std::thread& thread : producers_) thread.join();
  producers_.clear();
}

void CrashWorkload::stop_consumers() {
  consuming_ = false;
  for (std::thread& thread : consumers_) thread.join();
  consumers_.clear();
}

template <typename Step>
void CrashWorkload::guarded(Step step) {
  try {
    step();
  } catch (const std::exception& error) {
    ledger_.violation(error.what());
    std::this_thread::sleep_for(retry_pause);
  }
}

void CrashWorkload::produce(int producer) {
  QueueApiClient client(server_, client_timeout);
  std::mt19937_64 random(options_.seed * 1000 + static_cast<std::uint64_t>(producer));
  std::uniform_int_distribution<int> batch_size(1, max_batch);
  std::uniform_int_distribution<int> filler_size(0, max_filler);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::size_t sequence = 0;
  while (producing_) {
    guarded([&] {
      std::vector<OutgoingMessage> batch(static_cast<std::size_t>(batch_size(random)));
      for (OutgoingMessage& message : batch) {
        // Unique by its prefix; the filler varies the row sizes the storage sees.
        message.body = "p" + std::to_string(producer) + "-" + std::to_string(sequence++) + "|";
        for (int n = filler_size(random); n > 0; --n) message.body += static_cast<char>(letter(random));
      }
      ledger_.attempted(batch);
      Answer<std::vector<std::string>> answer = client.send(options_.queue, batch);
      if (answer.ok()) return ledger_.sent(batch, *answer.value);
      if (!answer.retryable()) ledger_.violation(describe("send", answer));
      std::this_thread::sleep_for(retry_pause);
    });
  }
}

void CrashWorkload::consume(int consumer) {
  QueueApiClient client(server_, client_timeout);
  std::mt19937_64 random(options_.seed * 1000 + 500 + static_cast<std::uint64_t>(consumer));
  std::uniform_int_distribution<int> abandon(1, options_.abandon_one_in);
  std::uniform_int_distribution<int> receive_max(1, max_receive);
  while (consuming_) {
    guarded([&] {
      Ticket issued = ledger_.ticket();
      Answer<std::vector<Delivery>> answer =
          client.receive(options_.queue, {receive_max(random), options_.visibility_timeout_s, wait_s});
      if (!answer.ok()) {
        if (!answer.retryable()) ledger_.violation(describe("receive", answer));
        std::this_thread::sleep_for(retry_pause);
        return;
      }
      ledger_.received(issued, *answer.value);
      if (!answer.value->empty() && abandon(random) != 1) {
        ack_persistently(client, ledger_, options_.queue, *answer.value);
      }
    });
  }
}

bool drain_queue(const QueueServer& server, CrashLedger& ledger, const std::string& queue,
                 std::chrono::steady_clock::time_point deadline) {
  QueueApiClient client(server, client_timeout);
  // Long enough that nothing the drain holds expires before its ack.
  constexpr int drain_visibility_timeout_s = 60;
  while (std::chrono::steady_clock::now() < deadline) {
    Ticket issued = ledger.ticket();
    Answer<std::vector<Delivery>> received = client.receive(queue, {max_receive, drain_visibility_timeout_s, wait_s});
    if (!received.ok()) {
      ledger.violation(describe("drain receive", received));
      return false;
    }
    ledger.received(issued, *received.value);
    if (!received.value->empty()) {
      ack_persistently(client, ledger, queue, *received.value);
      continue;
    }
    Answer<QueueStats> stats = client.stats(queue);
    if (!stats.ok()) {
      ledger.violation(describe("stats", stats));
      return false;
    }
    if (stats.value->total() == 0) return true;
  }
  return false;
}

}  // namespace robustness
