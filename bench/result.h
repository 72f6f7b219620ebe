// One benchmark result: a CSV row of results.csv (one per system, mode,
// workload and connection count) and a line on the terminal.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "bench/histogram.h"
#include "bench/ledger.h"

namespace bench {

enum class LatencyKind { call, send_to_receive };

struct Result {
  std::string system;  // e.g. redis, beanstalkd, queue, raptor
  std::string mode;    // e.g. always, everysec, f0, fsync, os
  std::string workload;  // set by publish; a workload of several rows leaves a suffix each (e.g. "-polled")
  std::uint64_t connections = 0;
  std::uint64_t batch = 1;
  std::uint64_t messages = 0;  // messages moved in the timed part
  double seconds = 0;
  LatencyKind latency_kind = LatencyKind::call;
  Histogram latency;
  std::optional<LedgerSummary> ledger;  // consumers only
  std::uint64_t errors = 0;
  std::optional<std::uint64_t> backlog;
  std::optional<std::uint64_t> rss_kib;
  std::optional<double> server_cpu_seconds;  // the server's CPU time over the timed part
  bool cut_short = false;                    // stopped by --max-seconds before the end

  double messages_per_second() const { return seconds > 0 ? double(messages) / seconds : 0; }
  std::optional<double> server_cpu_us_per_message() const;
  // Losses, corruption or errors: the run cannot be trusted. Speed never fails a run.
  bool failed() const;
};

// The CSV header line, without a newline.
std::string csv_header();
std::string csv_row(const Result& result);
// One human-readable line for the terminal.
std::string summary_line(const Result& result);
// Appends rows to the CSV at `path`, with the header first when the file is new or empty;
// every program of the benchmark writes the one results.csv this way.
void append_csv(const std::string& path, const std::vector<Result>& results);

// What a run is called in the CSV: system (e.g. raptor, driven as --system queue), mode, workload (e.g. W1).
struct Naming {
  std::string system;
  std::string mode;
  std::string workload;
};
// Names every result (the workload's name followed by any suffix the result carries), prints its summary line, and appends them to the CSV at `csv_path`
// (none when empty). True when one of them failed (Result::failed).
bool publish(std::vector<Result>& results, const Naming& naming, const std::string& csv_path);

}  // namespace bench
