#include "queue/worker/backoff.h"

#include <algorithm>
#include <random>

namespace queue::worker {

UnitRandom default_unit_random() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

std::chrono::milliseconds full_jitter_delay(const BackoffPolicy& policy, int attempt, double unit_random) {
  // 2^30 times any sensible base is past any sensible cap; clamping the exponent keeps
  // the shift from overflowing for a message delivered thousands of times.
  const int exponent = std::clamp(attempt - 1, 0, 30);
  const double ceiling_ms = std::min(static_cast<double>(policy.cap.count()),
                                     static_cast<double>(policy.base.count()) * static_cast<double>(1LL << exponent));
  const double fraction = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(ceiling_ms * fraction));
}

std::chrono::seconds retry_delay(const BackoffPolicy& policy, int receive_count, double unit_random) {
  return std::chrono::duration_cast<std::chrono::seconds>(full_jitter_delay(policy, receive_count, unit_random));
}

}  // namespace queue::worker
