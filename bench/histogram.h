// A latency histogram with log-linear buckets (HdrHistogram's idea): values up
// to 127 ns are exact, larger ones keep 6 significant bits (error under 1.6%).
// Recording is an increment, so each worker owns one and they merge at the end.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace bench {

class Histogram {
 public:
  void record(std::uint64_t nanoseconds);
  void merge(const Histogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  // The smallest recorded value v such that at least `fraction` of all values are <= v
  // (to bucket precision); 0 for an empty histogram.
  std::uint64_t percentile(double fraction) const;

  static constexpr std::size_t kSubBuckets = 64;
  static constexpr std::size_t kBuckets = 2 * kSubBuckets + 58 * kSubBuckets;

  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t highest_in(std::size_t bucket);

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace bench
