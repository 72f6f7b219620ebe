#include "bench/report/results_table.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

namespace bench::report {
namespace {

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

template <typename Number>
Number parse(std::string_view text, std::string_view column) {
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("column " + std::string(column) + ": not a number: '" + std::string(text) + "'");
  }
  return value;
}

template <typename Number>
std::optional<Number> parse_optional(std::string_view text, std::string_view column) {
  if (text.empty()) return std::nullopt;
  return parse<Number>(text, column);
}

}  // namespace

std::vector<Row> read_rows(std::istream& csv) {
  std::string line;
  if (!std::getline(csv, line)) return {};
  std::map<std::string, std::size_t, std::less<>> column;
  const std::vector<std::string_view> header = split(line);
  for (std::size_t i = 0; i < header.size(); ++i) column.emplace(std::string(header[i]), i);
  for (std::string_view required : {"system", "mode", "workload", "connections", "msgs_per_s", "p99_us"}) {
    if (!column.contains(required)) throw std::runtime_error("results CSV lacks column " + std::string(required));
  }

  std::vector<Row> rows;
  for (std::size_t number = 2; std::getline(csv, line); ++number) {
    // Blank lines and repeated headers (several runs appended to one file) are skipped.
    if (line.empty() || line.starts_with("system,")) continue;
    const std::vector<std::string_view> fields = split(line);
    auto get = [&](std::string_view name) -> std::string_view {
      const auto found = column.find(name);
      if (found == column.end() || found->second >= fields.size()) return {};
      return fields[found->second];
    };
    try {
      Row row;
      row.system = get("system");
      row.mode = get("mode");
      row.workload = get("workload");
      row.connections = parse<std::uint64_t>(get("connections"), "connections");
      row.batch = parse_optional<std::uint64_t>(get("batch"), "batch").value_or(1);
      row.messages = parse_optional<std::uint64_t>(get("messages"), "messages").value_or(0);
      row.msgs_per_s = parse<double>(get("msgs_per_s"), "msgs_per_s");
      row.latency = get("latency");
      row.p50_us = parse_optional<double>(get("p50_us"), "p50_us").value_or(0);
      row.p99_us = parse<double>(get("p99_us"), "p99_us");
      row.p999_us = parse_optional<double>(get("p999_us"), "p999_us").value_or(0);
      row.duplicates = parse_optional<std::uint64_t>(get("duplicates"), "duplicates");
      row.losses = parse_optional<std::uint64_t>(get("losses"), "losses");
      row.corrupt = parse_optional<std::uint64_t>(get("corrupt"), "corrupt");
      row.errors = parse_optional<std::uint64_t>(get("errors"), "errors").value_or(0);
      row.backlog = parse_optional<std::uint64_t>(get("backlog"), "backlog");
      row.rss_mib = parse_optional<double>(get("rss_mib"), "rss_mib");
      row.server_cpu_us_per_msg = parse_optional<double>(get("server_cpu_us_per_msg"), "server_cpu_us_per_msg");
      row.cut_short = parse_optional<int>(get("cut_short"), "cut_short").value_or(0) != 0;
      rows.push_back(std::move(row));
    } catch (const std::runtime_error& error) {
      throw std::runtime_error("results CSV line " + std::to_string(number) + ": " + error.what());
    }
  }
  return rows;
}

const Row* ResultsTable::find(std::string_view system, std::string_view mode, std::string_view workload,
                              std::uint64_t connections, std::optional<std::uint64_t> backlog) const {
  for (auto row = rows_.rbegin(); row != rows_.rend(); ++row) {
    if (row->system == system && row->mode == mode && row->workload == workload &&
        (connections == 0 || row->connections == connections) && (!backlog || row->backlog == backlog)) {
      return &*row;
    }
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> ResultsTable::system_modes() const {
  std::vector<std::pair<std::string, std::string>> seen;
  for (const Row& row : rows_) {
    std::pair<std::string, std::string> key{row.system, row.mode};
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) seen.push_back(std::move(key));
  }
  return seen;
}

std::vector<std::uint64_t> ResultsTable::connections_of(std::string_view workload) const {
  std::set<std::uint64_t> values;
  for (const Row& row : rows_) {
    if (row.workload == workload) values.insert(row.connections);
  }
  return {values.begin(), values.end()};
}

std::pair<ResultsTable, ResultsTable> partition(const ResultsTable& table, const std::function<bool(const Row&)>& second) {
  std::vector<Row> first_rows;
  std::vector<Row> second_rows;
  for (const Row& row : table.rows()) (second(row) ? second_rows : first_rows).push_back(row);
  return {ResultsTable(std::move(first_rows)), ResultsTable(std::move(second_rows))};
}

std::vector<std::uint64_t> ResultsTable::backlogs() const {
  std::set<std::uint64_t> values;
  for (const Row& row : rows_) {
    if (row.backlog) values.insert(*row.backlog);
  }
  return {values.begin(), values.end()};
}

}  // namespace bench::report
