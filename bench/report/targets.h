// Issue 4's targets, as issue 10 (the message log) raised them, checked against one
// run's results. Every target is a
// ratio or a bound measured in the same run, so machine load cancels out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/report/results_table.h"

namespace bench::report {

struct TargetCheck {
  std::string subject;      // e.g. "queue/fsync W1 vs redis/always W1"
  std::string goal;         // e.g. ">= 2x"
  std::optional<double> value;  // the ratio or the measured bound; nullopt when data is missing
  std::string unit;         // "x", "ms" or "MiB"
  std::string detail;       // the numbers behind the value
  bool met = false;
};

// Checks each Queue variant found in the results (system "queue", "raptor").
std::vector<TargetCheck> check_targets(const ResultsTable& table);

struct SystemMode {
  std::string system;
  std::string mode;
};
enum class Bound { at_least, above };

// `ours` throughput over the peer's in `workload`, 4 connections: met at `factor`
// or more (Bound::above: more than `factor`).
TargetCheck throughput_ratio(const ResultsTable& table, const std::string& workload, const SystemMode& ours,
                             const SystemMode& peer, double factor, Bound bound = Bound::at_least);

// One throughput: a system and mode in a workload at a connection count.
struct Measure {
  std::string system;
  std::string mode;
  std::string workload;
  std::uint64_t connections = 4;
};
// The same, between any two measures (another workload, another connection count).
TargetCheck throughput_ratio(const ResultsTable& table, const Measure& ours, const Measure& peer, double factor,
                             Bound bound = Bound::at_least);

}  // namespace bench::report
