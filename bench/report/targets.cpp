#include "bench/report/targets.h"

#include <algorithm>
#include <cstdio>

namespace bench::report {
namespace {

constexpr const char* kQueueSystems[] = {"queue", "raptor"};
constexpr std::string_view kSqliteSystem = "sqlite";  // queue-server on the SQLite engine
constexpr std::string_view kOneCallSystem = "queue-1call";
constexpr const char* kPerCallWorkloads[] = {"W1", "W2", "W3-send", "W3-receive"};

std::string format(const char* pattern, double a, double b = 0) {
  char text[128];
  std::snprintf(text, sizeof text, pattern, a, b);
  return text;
}

bool has_system(const ResultsTable& table, std::string_view system) {
  return std::any_of(table.rows().begin(), table.rows().end(), [&](const Row& row) { return row.system == system; });
}

TargetCheck worst_call_p99(const ResultsTable& table, const std::string& system, const std::string& mode) {
  TargetCheck check;
  check.subject = system + "/" + mode + " p99 per call, W1 to W3";
  check.goal = "< 5 ms";
  check.unit = "ms";
  std::string worst_workload;
  for (const char* workload : kPerCallWorkloads) {
    const Row* row = table.find(system, mode, workload, 4);
    if (!row) return check;  // incomplete: say n/a rather than judge on part of the data
    if (!check.value || row->p99_us / 1000 > *check.value) {
      check.value = row->p99_us / 1000;
      worst_workload = workload;
    }
  }
  check.detail = "worst in " + worst_workload;
  check.met = *check.value < 5;
  return check;
}

TargetCheck steady_p99(const ResultsTable& table, const std::string& system, const std::string& mode) {
  TargetCheck check;
  check.subject = system + "/" + mode + " W4 p99 send-to-receive";
  check.goal = "< 10 ms";
  check.unit = "ms";
  if (const Row* row = table.find(system, mode, "W4")) {
    check.value = row->p99_us / 1000;
    check.detail = format("at %.0f msg/s", row->msgs_per_s);
    check.met = *check.value < 10;
  }
  return check;
}

const Row* backlog_row(const ResultsTable& table, const std::string& system, const std::string& mode,
                       std::uint64_t depth) {
  return table.find(system, mode, "backlog", 0, depth);
}

std::vector<std::uint64_t> depths_of(const ResultsTable& table, const std::string& system, const std::string& mode) {
  std::vector<std::uint64_t> depths;
  for (std::uint64_t depth : table.backlogs()) {
    if (backlog_row(table, system, mode, depth)) depths.push_back(depth);
  }
  return depths;
}

TargetCheck backlog_flatness(const ResultsTable& table, const std::string& system, const std::string& mode) {
  TargetCheck check;
  check.subject = system + "/" + mode + " receive rate, deepest vs shallowest backlog";
  check.goal = ">= 0.8x";
  check.unit = "x";
  const std::vector<std::uint64_t> depths = depths_of(table, system, mode);
  if (depths.size() < 2) return check;
  const Row* shallow = backlog_row(table, system, mode, depths.front());
  const Row* deep = backlog_row(table, system, mode, depths.back());
  if (shallow->msgs_per_s <= 0) return check;
  check.value = deep->msgs_per_s / shallow->msgs_per_s;
  check.detail = format("%.0f msg/s at %.0f", deep->msgs_per_s, double(depths.back())) +
                 format(" vs %.0f msg/s at %.0f", shallow->msgs_per_s, double(depths.front()));
  check.met = *check.value >= 0.8;
  return check;
}

TargetCheck backlog_rss(const ResultsTable& table, const std::string& system, const std::string& mode) {
  TargetCheck check;
  check.subject = system + "/" + mode + " server RSS at the deepest backlog";
  check.goal = "< 150 MiB";
  check.unit = "MiB";
  const std::vector<std::uint64_t> depths = depths_of(table, system, mode);
  if (depths.empty()) return check;
  const Row* deep = backlog_row(table, system, mode, depths.back());
  if (!deep->rss_mib) return check;
  check.value = *deep->rss_mib;
  check.detail = format("at %.0f messages", double(depths.back()));
  if (depths.back() < 1'000'000) check.detail += " (target is set at 1000000)";
  check.met = *check.value < 150;
  return check;
}

// Server CPU per message, ours over the peer's: met at 1x or less.
TargetCheck cpu_per_message(const ResultsTable& table, const Measure& ours, const Measure& peer) {
  TargetCheck check;
  check.subject = ours.system + "/" + ours.mode + " " + ours.workload + " server CPU per message vs " + peer.system +
                  "/" + peer.mode;
  check.goal = "<= 1.0x";
  check.unit = "x";
  const Row* our_row = table.find(ours.system, ours.mode, ours.workload, ours.connections);
  const Row* their_row = table.find(peer.system, peer.mode, peer.workload, peer.connections);
  if (!our_row || !their_row || !our_row->server_cpu_us_per_msg || !their_row->server_cpu_us_per_msg ||
      *their_row->server_cpu_us_per_msg <= 0) {
    return check;
  }
  check.value = *our_row->server_cpu_us_per_msg / *their_row->server_cpu_us_per_msg;
  check.detail = format("%.0f vs %.0f us/msg", *our_row->server_cpu_us_per_msg, *their_row->server_cpu_us_per_msg);
  check.met = *check.value <= 1;
  return check;
}

}  // namespace

TargetCheck throughput_ratio(const ResultsTable& table, const std::string& workload, const SystemMode& ours,
                             const SystemMode& peer, double factor, Bound bound) {
  return throughput_ratio(table, Measure{ours.system, ours.mode, workload}, Measure{peer.system, peer.mode, workload},
                          factor, bound);
}

TargetCheck throughput_ratio(const ResultsTable& table, const Measure& ours, const Measure& peer, double factor,
                             Bound bound) {
  // Says only what differs: "queue/fsync W1 vs redis/always" when workload and connections match.
  const auto at = [](std::uint64_t connections) {
    return connections == 4 ? std::string() : " at " + std::to_string(connections) + " conn";
  };
  TargetCheck check;
  check.subject = ours.system + "/" + ours.mode + " " + ours.workload + at(ours.connections) + " vs " + peer.system +
                  "/" + peer.mode;
  if (peer.workload != ours.workload) check.subject += " " + peer.workload;
  if (peer.connections != ours.connections) check.subject += at(peer.connections);
  check.goal = format(bound == Bound::above ? "> %.1fx" : ">= %.1fx", factor);
  check.unit = "x";
  const Row* our_row = table.find(ours.system, ours.mode, ours.workload, ours.connections);
  const Row* their_row = table.find(peer.system, peer.mode, peer.workload, peer.connections);
  if (!our_row || !their_row || their_row->msgs_per_s <= 0) return check;
  check.value = our_row->msgs_per_s / their_row->msgs_per_s;
  check.detail = format("%.0f vs %.0f msg/s", our_row->msgs_per_s, their_row->msgs_per_s);
  check.met = bound == Bound::above ? *check.value > factor : *check.value >= factor;
  return check;
}

std::vector<TargetCheck> check_targets(const ResultsTable& table) {
  std::vector<TargetCheck> checks;
  for (const std::string system : kQueueSystems) {
    if (!has_system(table, system)) continue;
    // Issue 10's ratios (the message log): redis-always batches as W3 does.
    checks.push_back(throughput_ratio(table, "W1", {system, "fsync"}, {"redis", "always"}, 1.5));
    checks.push_back(throughput_ratio(table, "W2", {system, "fsync"}, {"redis", "always"}, 1.5));
    checks.push_back(throughput_ratio(table, "W3-send", {system, "fsync"}, {"redis", "always"}, 2));
    checks.push_back(throughput_ratio(table, "W3-receive", {system, "fsync"}, {"redis", "always"}, 2));
    checks.push_back(throughput_ratio(table, "W1", {system, "os"}, {"beanstalkd", "default"}, 1));
    checks.push_back(throughput_ratio(table, "W2", {system, "os"}, {"beanstalkd", "default"}, 1));
    checks.push_back(cpu_per_message(table, {system, "os", "W1"}, {"redis", "everysec", "W1"}));
    // Queue's own consume pattern, one call per message (a receive carrying the
    // previous ack), measured on queue-server as system "queue-1call".
    if (system == "queue" && has_system(table, kOneCallSystem)) {
      const std::string one_call(kOneCallSystem);
      checks.push_back(throughput_ratio(table, "W2", {one_call, "fsync"}, {"redis", "always"}, 1.5));
      checks.push_back(throughput_ratio(table, "W2", {one_call, "os"}, {"beanstalkd", "default"}, 1));
    }
    // The message log against the SQLite engine it replaces as the default, same server.
    if (has_system(table, kSqliteSystem)) {
      for (const std::string mode : {"fsync", "os"}) {
        for (const char* workload : kPerCallWorkloads) {
          checks.push_back(throughput_ratio(table, workload, {system, mode}, {std::string(kSqliteSystem), mode}, 1,
                                            Bound::above));
        }
      }
    }
    for (const std::string mode : {"fsync", "os"}) {
      checks.push_back(worst_call_p99(table, system, mode));
      checks.push_back(steady_p99(table, system, mode));
      checks.push_back(backlog_flatness(table, system, mode));
      checks.push_back(backlog_rss(table, system, mode));
    }
  }
  return checks;
}

}  // namespace bench::report
