// Heartbeat: one thread that keeps the worker's leases alive.
//
// Every `interval` it looks at the LeaseBook (tick): leases whose expiry passed are
// lost (their job's stop token fires through LeaseEvents::lost), handlers past their
// timeout get their stop token fired, and leases with less than
// `extend_when_remaining` of their visibility timeout left are extended, up to 100
// receipts per change_visibility call. A receipt the queue refuses is a lost lease.
// It keeps running through the shutdown drain (the worker stops it last): a job that
// is still finishing must not lose its lease and run twice (temporal sdk-java#2903).
// Internal to queue/worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/contract/client.h"
#include "queue/worker/clock.h"
#include "queue/worker/lease_book.h"
#include "queue/worker/lease_events.h"

namespace queue::worker {

struct HeartbeatOptions {
  std::chrono::milliseconds interval{1'000};
  double extend_when_remaining = 1.0 / 3.0;
  std::chrono::milliseconds call_timeout{10'000};
};

class Heartbeat {
 public:
  Heartbeat(contract::QueueClient& client, std::string queue, LeaseBook& book, const Clock& clock,
            HeartbeatOptions options, LeaseEvents events);
  ~Heartbeat();  // stop()

  void start();
  void stop();  // joins; idempotent

  // One look at the leases, on the calling thread (the thread's loop, or a test).
  void tick();

 private:
  void extend(const std::vector<LeasePtr>& leases, Clock::time_point now);

  contract::QueueClient& client_;
  const std::string queue_;
  LeaseBook& book_;
  const Clock& clock_;
  const HeartbeatOptions options_;
  const LeaseEvents events_;

  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace queue::worker
