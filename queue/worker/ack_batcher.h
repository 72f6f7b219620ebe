// AckBatcher: one thread that coalesces acks into batch calls.
//
// An ack waits at most `flush_delay` (a few milliseconds) for others, then goes with
// them in one call of at most `max_batch` receipts: at a thousand jobs a second that
// is tens of calls instead of a thousand. The answer decides each lease's fate: acked
// (LeaseEvents::acked), or refused with receipt_invalid, which means the lease was
// lost and someone else may have the message now (LeaseEvents::lost, never a success).
// A call that failed with `unavailable` or `deadline_exceeded` is tried again after
// `retry_pause` (the heartbeat keeps those leases alive meanwhile); any other failure
// gives the acks up (the leases run out and the messages come back).
//
// stop() sends everything pending, once, and joins. Internal to queue/worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/contract/client.h"
#include "queue/worker/lease_book.h"
#include "queue/worker/lease_events.h"

namespace queue::worker {

struct AckOptions {
  std::chrono::milliseconds flush_delay{5};
  std::size_t max_batch = 100;
  std::chrono::milliseconds retry_pause{200};
  std::chrono::milliseconds call_timeout{10'000};
};

class AckBatcher {
 public:
  AckBatcher(contract::QueueClient& client, std::string queue, LeaseBook& book, AckOptions options,
             LeaseEvents events);
  ~AckBatcher();  // stop()

  void start();
  // A lease in state ack_pending. Any thread.
  void add(LeasePtr lease);
  // Flushes what is pending (a last attempt each) and joins. Idempotent.
  void stop();

 private:
  void run(std::stop_token stop);
  // Sends one batch; returns the leases to try again later (a transient failure).
  std::vector<LeasePtr> send(const std::vector<LeasePtr>& batch, bool last_attempt);

  contract::QueueClient& client_;
  const std::string queue_;
  LeaseBook& book_;
  const AckOptions options_;
  const LeaseEvents events_;

  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<LeasePtr> pending_;
  std::chrono::steady_clock::time_point oldest_pending_since_;
  std::jthread thread_;
};

}  // namespace queue::worker
