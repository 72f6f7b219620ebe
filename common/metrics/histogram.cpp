#include "common/metrics/histogram.h"

#include <algorithm>
#include <string>

namespace common::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size())) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  // The first bound >= value ("le": less or equal); above every bound only +Inf counts it.
  auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (bucket != bounds_.end()) buckets_[bucket - bounds_.begin()].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::write(TextWriter& out, std::string_view name, const Labels& labels) const {
  // Read count first: buckets observed after it make "+Inf" (== count) lag at most,
  // never show a bucket above +Inf.
  const std::uint64_t count = count_.load(std::memory_order_relaxed);
  const std::string bucket_name = std::string(name) + "_bucket";
  Labels with_le = labels;
  with_le.emplace_back("le", "");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    with_le.back().second = format_value(bounds_[i]);
    out.sample(bucket_name, with_le, std::min(cumulative, count));
  }
  with_le.back().second = "+Inf";
  out.sample(bucket_name, with_le, count);
  out.sample(std::string(name) + "_sum", labels, sum_.load(std::memory_order_relaxed));
  out.sample(std::string(name) + "_count", labels, count);
}

std::vector<double> duration_bounds() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> size_bounds() { return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}; }

}  // namespace common::metrics
