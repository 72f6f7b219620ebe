#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace bench {

// Buckets [0, 128) hold their value exactly. Above, a value with bit width w
// (w >= 8) is shifted right by w - 7, leaving a leading part in [64, 128): each
// power of two gets kSubBuckets buckets.
std::size_t Histogram::bucket_of(std::uint64_t value) {
  if (value < 2 * kSubBuckets) return static_cast<std::size_t>(value);
  const unsigned shift = static_cast<unsigned>(std::bit_width(value)) - 7;
  return 2 * kSubBuckets + (shift - 1) * kSubBuckets + static_cast<std::size_t>((value >> shift) - kSubBuckets);
}

std::uint64_t Histogram::highest_in(std::size_t bucket) {
  if (bucket < 2 * kSubBuckets) return bucket;
  const std::size_t above = bucket - 2 * kSubBuckets;
  const unsigned shift = static_cast<unsigned>(above / kSubBuckets) + 1;
  const std::uint64_t leading = kSubBuckets + above % kSubBuckets;
  return ((leading + 1) << shift) - 1;
}

void Histogram::record(std::uint64_t nanoseconds) {
  ++counts_[std::min(bucket_of(nanoseconds), kBuckets - 1)];
  ++count_;
  max_ = std::max(max_, nanoseconds);
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t Histogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  const auto wanted = static_cast<std::uint64_t>(std::ceil(std::clamp(fraction, 0.0, 1.0) * double(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(wanted, 1)) return std::min(highest_in(i), max_);
  }
  return max_;
}

}  // namespace bench
