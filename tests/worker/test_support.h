// Small helpers of the worker SDK's tests: a gate a handler waits at, bounded waits,
// and leases taken from a FakeQueueClient for the components tested on their own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "queue/worker/lease.h"
#include "queue/worker/lease_book.h"
#include "tests/worker/fake_queue_client.h"

namespace queue::worker::testing {

inline constexpr std::chrono::milliseconds bounded{3'000};

// Closed until open(); wait() gives up after `bounded` (a test never hangs).
class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mutex_);
    return opened_.wait_for(lock, bounded, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Waits (bounded) for a stop token to fire.
inline bool wait_for_stop(const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any fired;
  std::unique_lock lock(mutex);
  return fired.wait_for(lock, stop, bounded, [] { return false; }) || stop.stop_requested();
}

// `count` messages pushed into `fake`, received there, and entered in `book` in
// state `state`, as the worker would have.
inline std::vector<LeasePtr> take_leases(FakeQueueClient& fake, LeaseBook& book, const Clock& clock, int count,
                                         LeaseState state, int visibility_timeout_s = 30) {
  std::vector<LeasePtr> leases;
  for (int i = 0; i < count; ++i) fake.push("job " + std::to_string(i));
  while (static_cast<int>(leases.size()) < count) {
    auto received = fake.receive("q", contract::ReceiveRequest{.max = 100, .visibility_timeout_s = visibility_timeout_s},
                                 contract::within(bounded));
    for (contract::ReceivedMessage& message : received.value()) {
      auto lease = std::make_shared<Lease>(std::move(message), visibility_timeout_s,
                                           clock.now() + std::chrono::seconds(visibility_timeout_s));
      book.add(lease);
      if (state != LeaseState::waiting) book.start(lease, std::nullopt);
      if (state != LeaseState::waiting && state != LeaseState::running) book.settle(lease, state);
      leases.push_back(std::move(lease));
    }
  }
  return leases;
}

}  // namespace queue::worker::testing
