// How long a failed job waits before its next delivery, and how long the poller
// waits after a failed receive.
//
// Exponential with full jitter (AWS's "Exponential Backoff and Jitter"): the delay is
// uniform in [0, min(cap, base * 2^(attempt-1))]. The jitter spreads a burst of
// failures (a downstream outage fails every job at once) so that the retries do not
// come back as one burst again.
#pragma once

#include <chrono>
#include <functional>

namespace queue::worker {

struct BackoffPolicy {
  std::chrono::milliseconds base{1'000};
  std::chrono::milliseconds cap{600'000};
};

// A uniform random number in [0, 1). Injected so tests choose the jitter.
using UnitRandom = std::function<double()>;

// A per-thread Mersenne twister seeded from std::random_device: safe from any thread.
UnitRandom default_unit_random();

// The delay before delivery `attempt + 1` (attempt >= 1; a job's receive_count).
std::chrono::milliseconds full_jitter_delay(const BackoffPolicy& policy, int attempt, double unit_random);

// The same, in the whole seconds change_visibility takes (rounded down: the jitter
// already makes every value in the range as good as another).
std::chrono::seconds retry_delay(const BackoffPolicy& policy, int receive_count, double unit_random);

}  // namespace queue::worker
