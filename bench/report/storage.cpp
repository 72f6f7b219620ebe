#include "bench/report/storage.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "bench/report/render.h"

namespace bench::report {
namespace {

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

template <typename Number>
Number number_of(const std::string& text, std::size_t line) {
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("storage CSV line " + std::to_string(line) + ": not a number: '" + text + "'");
  }
  return value;
}

}  // namespace

std::vector<StorageRow> read_storage_rows(std::istream& csv) {
  std::vector<StorageRow> rows;
  std::size_t line_number = 0;
  for (std::string line; std::getline(csv, line);) {
    ++line_number;
    if (line.empty() || line.starts_with("system,")) continue;
    const std::vector<std::string> f = fields_of(line);
    if (f.size() != 7) throw std::runtime_error("storage CSV line " + std::to_string(line_number) + ": 7 fields expected");
    StorageRow row;
    row.system = f[0];
    row.mode = f[1];
    row.messages = number_of<std::uint64_t>(f[2], line_number);
    row.restart_s = number_of<double>(f[3], line_number);
    if (!f[4].empty()) row.rss_mib = number_of<double>(f[4], line_number);
    row.segments_after_drain = number_of<std::uint64_t>(f[5], line_number);
    row.disk_mib_after_drain = number_of<double>(f[6], line_number);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<TargetCheck> check_storage_targets(const std::vector<StorageRow>& rows) {
  std::vector<TargetCheck> checks;
  for (const StorageRow& row : rows) {
    const std::string who = row.system + "/" + row.mode;
    const std::string depth = std::to_string(row.messages);
    TargetCheck restart;
    restart.subject = who + " restart with " + depth + " messages waiting";
    restart.goal = "< 3 s";
    restart.unit = "s";
    restart.value = row.restart_s;
    restart.met = row.restart_s < 3;
    if (row.rss_mib) restart.detail = "RSS " + std::to_string(static_cast<int>(*row.rss_mib)) + " MiB after";
    checks.push_back(restart);
    TargetCheck disk;
    disk.subject = who + " segment files after draining " + depth;
    disk.goal = "<= 2";
    disk.unit = "segments";
    disk.value = static_cast<double>(row.segments_after_drain);
    disk.met = row.segments_after_drain <= 2;
    disk.detail = std::to_string(static_cast<int>(row.disk_mib_after_drain)) + " MiB on disk";
    checks.push_back(disk);
  }
  return checks;
}

std::string render_storage_markdown(const std::vector<StorageRow>& rows, const std::vector<TargetCheck>& checks) {
  if (rows.empty()) return {};
  std::ostringstream out;
  out << "### The message log with a deep backlog\n\n";
  out << "Queue stopped (SIGTERM) with the messages waiting, started again and timed until it answers; "
         "then drained, and its directory counted after the retention sweeps ran.\n\n";
  out << "| system | waiting | restart | RSS after restart | segments after draining | disk after draining |\n";
  out << "|---|--:|--:|--:|--:|--:|\n";
  for (const StorageRow& row : rows) {
    out << "| " << row.system << "/" << row.mode << " | " << row.messages << " | " << number(row.restart_s, "%.2f")
        << " s | " << (row.rss_mib ? number(*row.rss_mib, "%.0f") + " MiB" : std::string("-")) << " | "
        << row.segments_after_drain << " | " << number(row.disk_mib_after_drain, "%.0f") << " MiB |\n";
  }
  render_targets(out, checks, "issue 10");
  return out.str();
}

}  // namespace bench::report
