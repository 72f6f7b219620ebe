#include "queue/remote/retry_policy.h"

#include <algorithm>

namespace queue::remote {

bool RetryBudget::try_spend() {
  if (tokens_ < cost_) return false;
  tokens_ -= cost_;
  return true;
}

void RetryBudget::on_success() { tokens_ = std::min(capacity_, tokens_ + refund_); }

std::chrono::milliseconds Backoff::ceiling(int retry) const {
  // Doubling stops once past the cap, so a large retry number never overflows.
  std::chrono::milliseconds ceiling = base_;
  for (int i = 1; i < retry && ceiling < cap_; ++i) ceiling *= 2;
  return std::min(ceiling, cap_);
}

std::chrono::milliseconds Backoff::delay(int retry) {
  std::uniform_int_distribution<std::chrono::milliseconds::rep> uniform(0, ceiling(retry).count());
  return std::chrono::milliseconds(uniform(random_));
}

}  // namespace queue::remote
