// Time as the worker sees it, from an injected Clock.
//
// Every lease expiry, extension threshold, handler timeout and the drain deadline is
// computed from Clock::now(), so tests move a ManualClock instead of sleeping through
// a 30 s visibility timeout. The worker's threads still wake in real time (every
// WorkerOptions::heartbeat_interval) to look at the clock: moving a ManualClock takes
// effect at their next tick.
//
// Call deadlines (contract::CallOptions) are always real steady_clock time: they
// bound real waits on the network, not the worker's bookkeeping.
#pragma once

#include <atomic>
#include <chrono>

namespace queue::worker {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  // Safe to call from any thread.
  virtual time_point now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
};

// Moves only when told to. Thread-safe: a test advances it while the worker reads it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start = time_point{} + std::chrono::hours(1)) : now_(start) {}
  time_point now() const override { return now_.load(std::memory_order_acquire); }
  void advance(std::chrono::milliseconds delta) {
    time_point current = now_.load(std::memory_order_acquire);
    while (!now_.compare_exchange_weak(current, current + delta, std::memory_order_acq_rel)) {
    }
  }

 private:
  std::atomic<time_point> now_;
};

}  // namespace queue::worker
