// A Prometheus histogram: fixed upper bounds, lock-free observe() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/metrics/text_writer.h"

namespace common::metrics {

class Histogram {
 public:
  // `bounds`: ascending upper bounds; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);
  // Writes the _bucket (cumulative), _sum and _count samples of `name` with `labels`.
  void write(TextWriter& out, std::string_view name, const Labels& labels) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, not cumulative
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Bounds for request and storage durations, in seconds: 0.25 ms to 10 s.
std::vector<double> duration_bounds();
// Bounds for batch sizes: powers of two up to 1024.
std::vector<double> size_bounds();

}  // namespace common::metrics
