#include "queue/remote/retry_policy.h"

#include <gtest/gtest.h>

namespace queue::remote {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, UnsafeCallsAreRetriedOnlyWhenTheRequestNeverLeft) {
  EXPECT_TRUE(may_retry(Replay::safe, AttemptEnd::not_sent));
  EXPECT_TRUE(may_retry(Replay::safe, AttemptEnd::maybe_applied));
  EXPECT_FALSE(may_retry(Replay::safe, AttemptEnd::final));
  EXPECT_TRUE(may_retry(Replay::only_unsent, AttemptEnd::not_sent));
  EXPECT_FALSE(may_retry(Replay::only_unsent, AttemptEnd::maybe_applied));
  EXPECT_FALSE(may_retry(Replay::only_unsent, AttemptEnd::final));
  for (int status : {502, 503, 504}) EXPECT_TRUE(retryable_status(status)) << status;
  for (int status : {400, 401, 404, 409, 429, 500}) EXPECT_FALSE(retryable_status(status)) << status;
}

TEST(RetryPolicy, TheBudgetEmptiesUnderFailuresAndRefillsWithSuccesses) {
  RetryBudget budget(20, 5, 1);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(budget.try_spend());
  EXPECT_FALSE(budget.try_spend());
  EXPECT_EQ(budget.tokens(), 0);
  for (int i = 0; i < 4; ++i) budget.on_success();
  EXPECT_FALSE(budget.try_spend());  // 4 < 5
  budget.on_success();
  EXPECT_TRUE(budget.try_spend());
  for (int i = 0; i < 100; ++i) budget.on_success();
  EXPECT_EQ(budget.tokens(), 20);  // never above capacity
}

TEST(RetryPolicy, BackoffIsFullJitterUnderADoublingCeiling) {
  Backoff backoff(milliseconds(50), milliseconds(1000), 42);
  EXPECT_EQ(backoff.ceiling(1), milliseconds(50));
  EXPECT_EQ(backoff.ceiling(2), milliseconds(100));
  EXPECT_EQ(backoff.ceiling(5), milliseconds(800));
  EXPECT_EQ(backoff.ceiling(6), milliseconds(1000));
  EXPECT_EQ(backoff.ceiling(1000), milliseconds(1000));
  milliseconds smallest(1000), largest(0);
  for (int i = 0; i < 1000; ++i) {
    milliseconds delay = backoff.delay(6);
    ASSERT_GE(delay.count(), 0);
    ASSERT_LE(delay, milliseconds(1000));
    smallest = std::min(smallest, delay);
    largest = std::max(largest, delay);
  }
  // Full jitter spreads over the whole range, down to (nearly) no wait at all.
  EXPECT_LT(smallest, milliseconds(50));
  EXPECT_GT(largest, milliseconds(950));
}

}  // namespace
}  // namespace queue::remote
