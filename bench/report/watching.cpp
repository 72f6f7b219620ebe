#include "bench/report/watching.h"

#include <sstream>

#include "bench/report/render.h"

namespace bench::report {
namespace {

// The producer has 4 connections and the poller one. A server that shares its CPU fairly
// between connections would leave the producer 4/5 of what it had if a stats call (or a
// scrape) cost what a send does; both should cost less (no write, no fsync, O(1) since
// issue 12), so below 0.8x watching costs more than a fifth producer connection would.
// On 2 cores the poller's own thread takes CPU too, which counts against the target.
// The figure before O(1) stats: 720 / 3,600 = 0.2x.
constexpr double kWatchedOverAlone = 0.8;

std::string workload(std::string_view suffix) { return std::string(kStatsPoll) + std::string(suffix); }

const Row* find(const ResultsTable& table, const std::string& system, const std::string& mode, std::string_view suffix) {
  return table.find(system, mode, workload(suffix));
}

TargetCheck producer_ratio(const ResultsTable& table, const std::string& system, const std::string& mode,
                           std::string_view suffix, const std::string& watcher) {
  TargetCheck check = throughput_ratio(table, Measure{system, mode, workload(suffix)},
                                       Measure{system, mode, workload("-alone")}, kWatchedOverAlone);
  check.subject = system + "/" + mode + " producer while " + watcher + " vs alone";
  return check;
}

std::string ms(double microseconds) { return number(microseconds / 1000, "%.2f"); }

// "msg/s | ratio | calls/s | p50 / p99 ms" of one watched phase.
std::string phase_cells(const Row* alone, const Row* producer, const Row* poller) {
  std::string cells = producer ? number(producer->msgs_per_s) : "–";
  cells += " | ";
  cells += producer && alone && alone->msgs_per_s > 0 ? number(producer->msgs_per_s / alone->msgs_per_s, "%.2f") + "x"
                                                      : "–";
  cells += " | " + (poller ? number(poller->msgs_per_s) : "–") + " | ";
  cells += poller ? ms(poller->p50_us) + " / " + ms(poller->p99_us) : "–";
  return cells;
}

}  // namespace

bool is_watching_row(const Row& row) { return row.workload.starts_with(std::string(kStatsPoll) + "-"); }

std::pair<ResultsTable, ResultsTable> split_watching(const ResultsTable& table) {
  return partition(table, is_watching_row);
}

std::vector<TargetCheck> check_watching_targets(const ResultsTable& table) {
  std::vector<TargetCheck> checks;
  for (const auto& [system, mode] : split_watching(table).second.system_modes()) {
    checks.push_back(producer_ratio(table, system, mode, "-polled", "a client polls stats"));
    checks.push_back(producer_ratio(table, system, mode, "-scraped", "a client scrapes /metrics"));
  }
  return checks;
}

std::string render_watching_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks) {
  const ResultsTable own = split_watching(table).second;
  if (own.rows().empty()) return {};
  std::ostringstream out;
  out << "What watching Queue costs (issue 12): W1's producer (4 connections, one message per call) on a queue "
         "holding a backlog, alone, then while one more client polls `GET /queues/{q}` in a loop without a pause, "
         "then while it scrapes `GET /metrics` in a loop; back to back on one server, so only the ratios mean "
         "anything on a shared machine:\n\n"
      << "| system | mode | waiting | alone msg/s | polled msg/s | ratio | stats calls/s | stats p50 / p99 ms "
         "| scraped msg/s | ratio | scrapes/s | scrape p50 / p99 ms |\n"
      << "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& [system, mode] : own.system_modes()) {
    const Row* alone = find(own, system, mode, "-alone");
    out << "| " << system << " | " << mode << " | "
        << (alone && alone->backlog ? std::to_string(*alone->backlog) : std::string("–")) << " | "
        << (alone ? number(alone->msgs_per_s) : "–") << " | "
        << phase_cells(alone, find(own, system, mode, "-polled"), find(own, system, mode, "-stats")) << " | "
        << phase_cells(alone, find(own, system, mode, "-scraped"), find(own, system, mode, "-metrics")) << " |\n";
  }
  render_targets(out, checks, "issue 12");
  const std::vector<const Row*> troubled = troubled_rows(own);
  if (!troubled.empty()) {
    out << "\nErrors:";
    for (const Row* row : troubled) out << " " << row->system_mode() << " " << row->workload << " (" << row->errors << ")";
    out << ".\n";
  }
  return out.str();
}

}  // namespace bench::report
