// Time as the queue sees it: milliseconds since the Unix epoch, from an injected Clock.
//
// Every lease, delay, retention and long-poll deadline is computed from Clock::now_ms()
// and stored as plain milliseconds, so tests drive time with a ManualClock instead of
// sleeping, and an engine never mixes two notions of "now" within one operation.
#pragma once

#include <atomic>
#include <cstdint>

namespace queue::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since 1970-01-01T00:00:00Z. Safe to call from any thread.
  virtual std::int64_t now_ms() const = 0;
};

// Wall-clock time (std::chrono::system_clock): the clock of a running server.
class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
};

// A clock that moves only when told to. Thread-safe: a test thread advances it while
// the engine thread reads it. After moving it, call QueueService::nudge() so the engine
// re-evaluates its timers (it sleeps in real time and cannot see a manual clock move).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  std::int64_t now_ms() const override { return now_.load(std::memory_order_acquire); }
  void set(std::int64_t ms) { now_.store(ms, std::memory_order_release); }
  void advance(std::int64_t delta_ms) { now_.fetch_add(delta_ms, std::memory_order_acq_rel); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace queue::core
