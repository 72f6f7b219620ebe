// Issue 10's storage figures for the embedded message log: with 10^6 messages
// waiting, how long Queue takes to restart (recovery) and its RSS after, and how
// many segment files are left once those messages are drained. scripts/bench
// measures them around queue-server (stop, start, ping; drain, wait for sweeps,
// count) and writes storage.csv:
//   system,mode,messages,restart_s,rss_mib,segments_after_drain,disk_mib_after_drain
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "bench/report/targets.h"

namespace bench::report {

struct StorageRow {
  std::string system;
  std::string mode;
  std::uint64_t messages = 0;
  double restart_s = 0;
  std::optional<double> rss_mib;
  std::uint64_t segments_after_drain = 0;
  double disk_mib_after_drain = 0;
};

// Throws std::runtime_error naming the line on a malformed one.
std::vector<StorageRow> read_storage_rows(std::istream& csv);

// Restart under 3 s and at most 2 segments left after draining, per row.
std::vector<TargetCheck> check_storage_targets(const std::vector<StorageRow>& rows);

// A table of the rows and their targets; empty without rows.
std::string render_storage_markdown(const std::vector<StorageRow>& rows, const std::vector<TargetCheck>& checks);

}  // namespace bench::report
