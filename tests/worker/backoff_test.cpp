#include "queue/worker/backoff.h"

#include <gtest/gtest.h>

namespace queue::worker {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Backoff, FullJitterSpansZeroToTheExponentialCeiling) {
  const BackoffPolicy policy{milliseconds(1'000), milliseconds(60'000)};
  EXPECT_EQ(full_jitter_delay(policy, 1, 0.0), milliseconds(0));
  EXPECT_EQ(full_jitter_delay(policy, 1, 0.5), milliseconds(500));
  EXPECT_EQ(full_jitter_delay(policy, 3, 0.5), milliseconds(2'000));    // ceiling 4 s
  EXPECT_EQ(full_jitter_delay(policy, 5, 0.999), milliseconds(15'984));  // ceiling 16 s
}

TEST(Backoff, CeilingIsCappedEvenForHugeAttemptCounts) {
  const BackoffPolicy policy{milliseconds(1'000), milliseconds(60'000)};
  EXPECT_EQ(full_jitter_delay(policy, 7, 1.0), milliseconds(60'000));    // 64 s capped
  EXPECT_EQ(full_jitter_delay(policy, 5'000, 0.5), milliseconds(30'000));  // no overflow
  EXPECT_EQ(full_jitter_delay(policy, 0, 1.0), milliseconds(1'000));       // treated as the first
}

TEST(Backoff, RetryDelayIsInWholeSecondsRoundedDown) {
  const BackoffPolicy policy{milliseconds(10'000), milliseconds(600'000)};
  EXPECT_EQ(retry_delay(policy, 1, 0.55), seconds(5));
  EXPECT_EQ(retry_delay(policy, 3, 0.5), seconds(20));
  EXPECT_EQ(retry_delay(policy, 1, 0.05), seconds(0));
}

TEST(Backoff, DefaultRandomStaysInTheUnitInterval) {
  UnitRandom random = default_unit_random();
  for (int i = 0; i < 1'000; ++i) {
    const double value = random();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
  }
}

}  // namespace
}  // namespace queue::worker
