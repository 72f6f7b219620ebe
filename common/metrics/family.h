// A metric family: one child per label set, made on first use. Thread-safe; children
// live as long as the family, so a reference from child() stays valid.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "common/metrics/text_writer.h"

namespace common::metrics {

template <typename Metric>
class Family {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;
  explicit Family(Factory make) : make_(std::move(make)) {}

  Metric& child(const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = children_[labels];
    if (!slot) slot = make_();
    return *slot;
  }
  // Each child in label order (the order a scrape shows them).
  void each(const std::function<void(const Labels&, const Metric&)>& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [labels, metric] : children_) visit(labels, *metric);
  }

 private:
  Factory make_;
  mutable std::mutex mutex_;
  std::map<Labels, std::unique_ptr<Metric>> children_;
};

}  // namespace common::metrics
