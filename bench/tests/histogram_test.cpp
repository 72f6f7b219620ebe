#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace bench {
namespace {

TEST(Histogram, EmptyHistogramReportsZero) {
  Histogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.percentile(0.99), 0u);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram histogram;
  for (std::uint64_t v = 1; v <= 100; ++v) histogram.record(v);
  EXPECT_EQ(histogram.percentile(0.50), 50u);
  EXPECT_EQ(histogram.percentile(0.99), 99u);
  EXPECT_EQ(histogram.percentile(1.0), 100u);
}

TEST(Histogram, LargeValuesKeepTwoPercentPrecision) {
  Histogram histogram;
  // 1 us .. 10 ms in 1 us steps: the p-th percentile is p * 10 ms.
  for (std::uint64_t us = 1; us <= 10'000; ++us) histogram.record(us * 1000);
  for (double fraction : {0.5, 0.9, 0.99, 0.999}) {
    const double expected = fraction * 10'000'000;
    EXPECT_NEAR(double(histogram.percentile(fraction)), expected, expected * 0.02) << fraction;
  }
  EXPECT_EQ(histogram.max(), 10'000'000u);
}

TEST(Histogram, BucketBoundsContainTheirValues) {
  std::uint64_t previous_bucket = 0;
  for (std::uint64_t value : {0ull, 1ull, 127ull, 128ull, 129ull, 255ull, 256ull, 1000ull, 123456789ull, 1ull << 40,
                              ~0ull}) {
    const std::size_t bucket = Histogram::bucket_of(value);
    EXPECT_LT(bucket, Histogram::kBuckets);
    EXPECT_GE(Histogram::highest_in(bucket), value);
    if (bucket > 0) {
      EXPECT_LT(Histogram::highest_in(bucket - 1), value) << value;
    }
    EXPECT_GE(bucket, previous_bucket);
    previous_bucket = bucket;
  }
}

TEST(Histogram, MergeAddsCounts) {
  Histogram fast;
  Histogram slow;
  for (int i = 0; i < 99; ++i) fast.record(1000);
  slow.record(9'000'000);
  fast.merge(slow);
  EXPECT_EQ(fast.count(), 100u);
  EXPECT_EQ(fast.max(), 9'000'000u);
  EXPECT_LE(fast.percentile(0.99), 1016u);
  EXPECT_EQ(fast.percentile(1.0), 9'000'000u);
}

}  // namespace
}  // namespace bench
