// results.csv read back: the rows queue-bench wrote, typed, and found by key.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench::report {

struct Row {
  std::string system;
  std::string mode;
  std::string workload;
  std::uint64_t connections = 0;
  std::uint64_t batch = 0;
  std::uint64_t messages = 0;
  double msgs_per_s = 0;
  std::string latency;  // call or send_to_receive
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  std::optional<std::uint64_t> duplicates;
  std::optional<std::uint64_t> losses;
  std::optional<std::uint64_t> corrupt;
  std::uint64_t errors = 0;
  std::optional<std::uint64_t> backlog;
  std::optional<double> rss_mib;
  std::optional<double> server_cpu_us_per_msg;
  bool cut_short = false;  // the step hit its time limit: fewer messages than planned moved

  std::string system_mode() const { return system + "/" + mode; }
};

// Parses queue-bench's CSV (header first, in any column order); throws
// std::runtime_error naming the line on a malformed one.
std::vector<Row> read_rows(std::istream& csv);

class ResultsTable {
 public:
  explicit ResultsTable(std::vector<Row> rows) : rows_(std::move(rows)) {}

  const std::vector<Row>& rows() const { return rows_; }
  // The last row for the key (a re-run later in the file wins); connections 0 matches any.
  const Row* find(std::string_view system, std::string_view mode, std::string_view workload,
                  std::uint64_t connections = 0, std::optional<std::uint64_t> backlog = std::nullopt) const;
  // Every (system, mode) in order of first appearance.
  std::vector<std::pair<std::string, std::string>> system_modes() const;
  // Every distinct value of connections (or backlog) used by a workload, ascending.
  std::vector<std::uint64_t> connections_of(std::string_view workload) const;
  std::vector<std::uint64_t> backlogs() const;

 private:
  std::vector<Row> rows_;
};

// {the rows `second` rejects, the rows it takes}, each in their original order: how a
// comparison with a section of its own (PostgreSQL, the C++ clients) leaves issue 4's tables.
std::pair<ResultsTable, ResultsTable> partition(const ResultsTable& table, const std::function<bool(const Row&)>& second);

}  // namespace bench::report
