#include "bench/report/render.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "bench/report/clients.h"
#include "bench/report/postgres.h"

namespace bench::report {

std::string number(double value, const char* pattern) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

namespace {

constexpr const char* kMainWorkloads[] = {"W1", "W2", "W3-send", "W3-receive", "W4"};

std::string rate(const Row* row) { return row ? number(row->msgs_per_s) : "–"; }
std::string p99_ms(const Row* row) { return row ? number(row->p99_us / 1000, "%.2f") : "–"; }

std::string column_name(const std::string& system, const std::string& mode) { return system + "/" + mode; }

void render_main_table(std::ostringstream& out, const ResultsTable& table) {
  out << "| system | mode | W1 msg/s | W1 p99 ms | W2 msg/s | W2 p99 ms | W3 send msg/s | W3 send p99 ms "
         "| W3 receive msg/s | W3 receive p99 ms | W4 msg/s | W4 p50 / p99 / p99.9 ms |\n"
      << "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (const auto& [system, mode] : table.system_modes()) {
    out << "| " << system << " | " << mode;
    for (const char* workload : {"W1", "W2", "W3-send", "W3-receive"}) {
      const Row* row = table.find(system, mode, workload, 4);
      out << " | " << rate(row) << " | " << p99_ms(row);
    }
    const Row* steady = table.find(system, mode, "W4");
    out << " | " << rate(steady) << " | ";
    if (steady) {
      out << number(steady->p50_us / 1000, "%.2f") << " / " << number(steady->p99_us / 1000, "%.2f") << " / "
          << number(steady->p999_us / 1000, "%.2f");
    } else {
      out << "–";
    }
    out << " |\n";
  }
}

// Wall-clock rates move with the machine's load; the server's own CPU time per message much less.
void render_cpu_table(std::ostringstream& out, const ResultsTable& table) {
  const bool any = std::any_of(table.rows().begin(), table.rows().end(),
                               [](const Row& row) { return row.server_cpu_us_per_msg.has_value(); });
  if (!any) return;
  out << "\nServer CPU time per message, µs (user + system, all server threads; lower is better):\n\n"
      << "| system | mode | W1 | W2 | W3 send | W3 receive | W4 |\n|---|---|--:|--:|--:|--:|--:|\n";
  for (const auto& [system, mode] : table.system_modes()) {
    out << "| " << system << " | " << mode;
    for (const char* workload : kMainWorkloads) {
      const Row* row = table.find(system, mode, workload, std::string_view(workload) == "W4" ? 0 : 4);
      out << " | " << (row && row->server_cpu_us_per_msg ? number(*row->server_cpu_us_per_msg, "%.1f") : "–");
    }
    out << " |\n";
  }
}

void render_scaling_table(std::ostringstream& out, const ResultsTable& table) {
  const std::vector<std::uint64_t> connections = table.connections_of("scale-produce");
  if (connections.empty()) return;
  out << "\nThroughput by connection count, msg/s (produce / consume, one message per call):\n\n| system | mode |";
  for (std::uint64_t count : connections) out << " " << count << " conn |";
  out << "\n|---|---|";
  for (std::size_t i = 0; i < connections.size(); ++i) out << "--:|";
  out << "\n";
  for (const auto& [system, mode] : table.system_modes()) {
    out << "| " << system << " | " << mode << " |";
    for (std::uint64_t count : connections) {
      out << " " << rate(table.find(system, mode, "scale-produce", count)) << " / "
          << rate(table.find(system, mode, "scale-consume", count)) << " |";
    }
    out << "\n";
  }
}

void render_backlog_table(std::ostringstream& out, const ResultsTable& table) {
  const std::vector<std::uint64_t> depths = table.backlogs();
  if (depths.empty()) return;
  out << "\nReceive rate (receive 1 + ack 1, 4 connections) and server RSS with a backlog waiting:\n\n| system | mode |";
  for (std::uint64_t depth : depths) out << " " << depth << " msg/s | RSS MiB |";
  out << "\n|---|---|";
  for (std::size_t i = 0; i < depths.size(); ++i) out << "--:|--:|";
  out << "\n";
  for (const auto& [system, mode] : table.system_modes()) {
    bool any = false;
    std::ostringstream line;
    line << "| " << system << " | " << mode << " |";
    for (std::uint64_t depth : depths) {
      const Row* row = table.find(system, mode, "backlog", 0, depth);
      any = any || row;
      line << " " << rate(row) << " | " << (row && row->rss_mib ? number(*row->rss_mib, "%.1f") : "–") << " |";
    }
    if (any) out << line.str() << "\n";
  }
}


void render_cut_short(std::ostringstream& out, const ResultsTable& table) {
  std::vector<std::string> steps;
  for (const Row& row : table.rows()) {
    if (!row.cut_short) continue;
    std::string step = row.system_mode() + " " + row.workload + " (" + std::to_string(row.connections) + " conn";
    if (row.backlog) step += ", backlog " + std::to_string(*row.backlog);
    steps.push_back(step + ", " + std::to_string(row.messages) + " messages)");
  }
  if (steps.empty()) return;
  out << "\nCut short by the time limit (rates stand; a drain cut short cannot count losses):";
  for (std::size_t i = 0; i < steps.size(); ++i) out << (i == 0 ? " " : "; ") << steps[i];
  out << ".\n";
}

void render_integrity(std::ostringstream& out, const ResultsTable& table) {
  const std::vector<const Row*> troubled = troubled_rows(table);
  if (troubled.empty()) {
    out << "\nIntegrity: every consumer run checked sequence numbers and checksums: no duplicate, loss, "
           "corruption or error in "
        << table.rows().size() << " result rows.\n";
    return;
  }
  out << "\nIntegrity problems:\n\n";
  for (const Row* row : troubled) {
    out << "- " << row->system_mode() << " " << row->workload << " (" << row->connections
        << " conn): duplicates " << row->duplicates.value_or(0) << ", losses " << row->losses.value_or(0)
        << ", corrupt " << row->corrupt.value_or(0) << ", errors " << row->errors << "\n";
  }
}

// One row per system, in the order of the comparison, with only the workloads issue 5 asks.
void render_postgres_table(std::ostringstream& out, const ResultsTable& table) {
  out << "| system | W1 msg/s | W1 p99 ms | W2 msg/s | W2 p99 ms | W3 send msg/s | W3 send p99 ms "
         "| W3 receive msg/s | W3 receive p99 ms |\n"
      << "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (std::string_view system : {kPostgresBaseline, kQueueOnPostgres, kTwoQueuesOnPostgres}) {
    for (const auto& [name, mode] : table.system_modes()) {
      if (name != system) continue;
      out << "| " << name;
      if (mode != "default") out << " (" << mode << ")";
      for (const char* workload : {"W1", "W2", "W3-send", "W3-receive"}) {
        const Row* row = table.find(name, mode, workload, 4);
        out << " | " << rate(row) << " | " << p99_ms(row);
      }
      out << " |\n";
    }
  }
}

// Per mode: Queue in process, Queue over HTTP, Redis of the same durability.
void render_in_process_table(std::ostringstream& out, const ResultsTable& table) {
  out << "| client | mode | W1 4 thr | W2 4 thr | produce 64 thr | p99 ms | consume 64 thr | p99 ms |\n"
      << "|---|---|--:|--:|--:|--:|--:|--:|\n";
  const std::vector<std::pair<std::string, std::string>> present = table.system_modes();
  for (const std::string mode : {"fsync", "os"}) {
    const std::pair<std::string, std::string> compared[] = {
        {std::string(kInProcess), mode}, {"queue", mode}, {"redis", std::string(redis_mode_like(mode))}};
    for (const auto& [system, system_mode] : compared) {
      if (std::find(present.begin(), present.end(), std::pair{system, system_mode}) == present.end()) continue;
      const Row* produce = table.find(system, system_mode, "scale-produce", kManyThreads);
      const Row* consume = table.find(system, system_mode, "scale-consume", kManyThreads);
      out << "| " << (system == kInProcess ? "queue in process" : system == "queue" ? "queue over HTTP" : system)
          << " | " << system_mode << " | " << rate(table.find(system, system_mode, "W1", 4)) << " | "
          << rate(table.find(system, system_mode, "W2", 4)) << " | " << rate(produce) << " | " << p99_ms(produce)
          << " | " << rate(consume) << " | " << p99_ms(consume) << " |\n";
    }
  }
}

std::string cpu(const Row* row) {
  return row && row->server_cpu_us_per_msg ? number(*row->server_cpu_us_per_msg, "%.1f") : "–";
}

void render_worker_table(std::ostringstream& out, const ResultsTable& table) {
  out << "| mode | consumers | hand-written msg/s | worker SDK msg/s | server CPU µs/msg, hand-written / SDK |\n"
      << "|---|--:|--:|--:|--:|\n";
  for (const std::string mode : {"fsync", "os"}) {
    const std::pair<std::string_view, std::string_view> pairs[] = {{"W2", kWorkerDrain},
                                                                   {"scale-consume", kWorkerDrainScaled}};
    for (const auto& [hand_written, sdk] : pairs) {
      const Row* ours = table.find("queue", mode, sdk);
      if (!ours) continue;
      const Row* theirs = table.find("queue", mode, hand_written, ours->connections);
      out << "| " << mode << " | " << ours->connections << " | " << rate(theirs) << " | " << rate(ours) << " | "
          << cpu(theirs) << " / " << cpu(ours) << " |\n";
    }
  }
}

bool is_worker_drain(const Row& row) { return row.workload == kWorkerDrain || row.workload == kWorkerDrainScaled; }

}  // namespace

void render_targets(std::ostringstream& out, const std::vector<TargetCheck>& checks, std::string_view issue) {
  if (checks.empty()) {
    out << "\nTargets: no Queue results in this run.\n";
    return;
  }
  out << "\nTargets (" << issue << "; ratios measured in this run):\n\n";
  for (const TargetCheck& check : checks) {
    out << "- " << (!check.value ? "n/a " : check.met ? "PASS" : "MISS") << " " << check.subject << ": ";
    if (check.value) {
      out << number(*check.value, "%.2f") << (check.unit == "x" ? "x" : " " + check.unit);
    } else {
      out << "no data";
    }
    out << " (goal " << check.goal;
    if (!check.detail.empty()) out << "; " << check.detail;
    out << ")\n";
  }
}

std::string render_clients_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks) {
  const ResultsTable own = partition(table, [](const Row& row) { return row.system == kInProcess || is_worker_drain(row); }).second;
  if (own.rows().empty()) return {};
  std::ostringstream out;
  if (split_in_process(own).second.rows().size() > 0) {
    out << "Queue in process (issue 9 part 5): the benchmark's threads call the blocking in-process client of a "
           "Queue mounted in their own process (SQLite; CPU there is the whole process's, client included), beside "
           "Queue over HTTP and Redis of the same durability in the same run; msg/s, one message per call, p99 per "
           "call:\n\n";
    render_in_process_table(out, table);
  }
  if (std::any_of(own.rows().begin(), own.rows().end(), is_worker_drain)) {
    if (out.tellp() > 0) out << "\n";
    out << "Worker SDK (queue::worker::Worker, as many handlers as consumers, over the remote client) draining a "
           "backlog from queue-server, beside queue-bench's hand-written HTTP consumer (receive 1, ack 1 per call) in "
           "the same run:\n\n";
    render_worker_table(out, table);
  }
  render_targets(out, checks, "issue 9 part 5");
  render_cut_short(out, own);
  render_integrity(out, own);
  return out.str();
}

std::string render_postgres_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks) {
  if (table.rows().empty()) return {};
  std::ostringstream out;
  out << "PostgreSQL (issues 5 and 11; 4 connections, one PostgreSQL server; W1/W2 one message per call, W3 batches "
         "of 10; p99 per call):\n\n";
  render_postgres_table(out, table);
  render_cpu_table(out, table);
  render_scaling_table(out, table);
  render_targets(out, checks, "issue 11; W1/W2 at 64 conn are scale-produce/scale-consume");
  render_cut_short(out, table);
  render_integrity(out, table);
  return out.str();
}

std::vector<const Row*> troubled_rows(const ResultsTable& table) {
  std::vector<const Row*> troubled;
  for (const Row& row : table.rows()) {
    if (row.errors > 0 || row.duplicates.value_or(0) > 0 || row.losses.value_or(0) > 0 || row.corrupt.value_or(0) > 0) {
      troubled.push_back(&row);
    }
  }
  return troubled;
}

std::string render_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks) {
  std::ostringstream out;
  out << "Main workloads (4 connections; W1/W2 one message per call, W3 batches of 10, W4 at half of W1's rate; "
         "p99 per call except W4, send-to-receive):\n\n";
  render_main_table(out, table);
  render_cpu_table(out, table);
  render_scaling_table(out, table);
  render_backlog_table(out, table);
  render_targets(out, checks, "issues 4 and 10");
  render_cut_short(out, table);
  render_integrity(out, table);
  return out.str();
}

std::string render_throughput_data(const ResultsTable& table) {
  std::ostringstream out;
  out << "workload";
  for (const auto& [system, mode] : table.system_modes()) out << " " << column_name(system, mode);
  out << "\n";
  for (const char* workload : kMainWorkloads) {
    out << workload;
    for (const auto& [system, mode] : table.system_modes()) {
      const Row* row = table.find(system, mode, workload, std::string_view(workload) == "W4" ? 0 : 4);
      out << " " << (row ? number(row->msgs_per_s) : "NaN");
    }
    out << "\n";
  }
  return out.str();
}

std::string render_scaling_data(const ResultsTable& table) {
  const std::vector<std::uint64_t> counts = table.connections_of("scale-produce");
  // Only systems that ran the scaling (queue-1call does not): gnuplot warns of an empty column.
  std::vector<std::pair<std::string, std::string>> scaled = table.system_modes();
  std::erase_if(scaled, [&](const auto& system_mode) {
    return std::none_of(counts.begin(), counts.end(), [&](std::uint64_t count) {
      return table.find(system_mode.first, system_mode.second, "scale-produce", count) != nullptr;
    });
  });
  std::ostringstream out;
  out << "connections";
  for (const auto& [system, mode] : scaled) out << " " << column_name(system, mode);
  out << "\n";
  for (std::uint64_t count : counts) {
    out << count;
    for (const auto& [system, mode] : scaled) {
      const Row* row = table.find(system, mode, "scale-produce", count);
      out << " " << (row ? number(row->msgs_per_s) : "NaN");
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace bench::report
