// queue-bench: one load generator for Queue, Redis, beanstalkd and a hand-rolled
// PostgreSQL queue, each over its native protocol, so that the same client drives every system. See
// docs/performance.md for what each workload means and scripts/bench for a whole run.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>

#include "bench/workloads.h"

namespace {

using namespace bench;

struct Options {
  Plan plan;
  std::string workload = "produce";
  std::string csv_path;
  std::string label;  // the system's name in the CSV (e.g. raptor, driven as --system queue)
  std::string mode = "default";
  std::string tag;  // the workload's name in the CSV (e.g. W1)
  double ready_timeout_s = 30;
  std::vector<std::uint16_t> ports;  // one, or several servers to spread the connections over
};

int run(const Options& options) {
  if (options.workload == "ping") {
    wait_until_ready(options.plan.target, std::chrono::duration<double>(options.ready_timeout_s));
    return 0;
  }

  std::vector<Result> results;
  if (options.workload == "produce") {
    results.push_back(produce(options.plan));
  } else if (options.workload == "consume") {
    results.push_back(consume(options.plan));
  } else if (options.workload == "steady") {
    results.push_back(steady(options.plan));
  } else if (options.workload == "stats-poll") {
    results = stats_poll(options.plan);
  } else {
    results = backlog(options.plan);
  }

  const Naming naming{options.label, options.mode, options.tag.empty() ? options.workload : options.tag};
  return publish(results, naming, options.csv_path) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"queue-bench: drives Queue (HTTP), Redis (RESP) or beanstalkd with the same workloads"};
  Options options;
  Plan& plan = options.plan;

  // Names land in CSV cells: a comma would shift every column after it.
  const auto csv_safe = [](const std::string& value) {
    return value.find_first_of(",\n\r") == std::string::npos ? std::string() : "must not contain a comma or newline";
  };
  const std::map<std::string, System> systems{
      {"redis", System::redis}, {"beanstalkd", System::beanstalkd}, {"queue", System::queue},
      {"postgres", System::postgres}};
  app.add_option("--system", plan.target.system, "Protocol to speak: redis, beanstalkd, queue or postgres")
      ->required()
      ->transform(CLI::CheckedTransformer(systems));
  app.add_option("--host", plan.target.endpoint.host, "Server address")->default_val("127.0.0.1");
  app.add_option("--port", options.ports,
                 "Server port; several (27410,27411): connection i uses the (i mod n)-th, one server each")
      ->delimiter(',')
      ->check(CLI::Range(1, 65535));
  app.add_option("--database-url", plan.target.database_url,
                 "postgres: libpq connection string or postgres:// URL (no --port needed)");
  app.add_option("--workload", options.workload, "ping, produce, consume, steady, backlog or stats-poll")
      ->default_val("produce")
      ->check(CLI::IsMember({"ping", "produce", "consume", "steady", "backlog", "stats-poll"}));
  app.add_option("--messages", plan.messages,
                 "Messages to send or expect (backlog: messages received at each depth)")
      ->default_val(100'000)
      ->check(CLI::Range(1, 100'000'000));
  app.add_option("--connections", plan.connections, "Connections (steady: producers, and as many consumers)")
      ->default_val(4)
      ->check(CLI::Range(1, 1024));
  app.add_option("--batch", plan.batch, "Messages per send, receive and ack call")
      ->default_val(1)
      ->check(CLI::Range(1, 100));
  app.add_option("--rate", plan.rate, "steady: total messages per second")->check(CLI::PositiveNumber);
  app.add_option("--backlogs", plan.backlogs, "backlog: depths to measure at, e.g. 1000,100000,1000000")
      ->delimiter(',')
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  app.add_option("--drain-timeout-s", plan.drain_timeout,
                 "steady: consumers stop after this long without a delivery once producers are done")
      ->default_val(10);
  app.add_flag("--ack-on-receive", plan.ack_on_receive,
               "consume, backlog: each receive carries the previous batch's acks (Queue: one call per batch)");
  app.add_option("--max-seconds", plan.max_time,
                 "produce, consume, backlog (each depth), stats-poll (each phase): stop after this long; the CSV "
                 "says how many moved");
  app.add_option("--queue", plan.target.queue, "Queue, list or tube name")->default_val("bench");
  app.add_option("--queue-path-prefix", plan.target.path_prefix, "queue: where the HTTP API is mounted")
      ->default_val("/api/v1");
  app.add_option("--token", plan.target.token, "queue: bearer token");
  app.add_option("--server-pid", plan.server_pid, "Server process whose VmRSS to report");
  app.add_option("--csv", options.csv_path, "Append result rows to this CSV file (header when new)");
  app.add_option("--label", options.label, "System name in the results (default: --system)")->check(csv_safe);
  app.add_option("--mode", options.mode, "Durability mode in the results, e.g. always, f0, fsync")
      ->default_val("default")
      ->check(csv_safe);
  app.add_option("--tag", options.tag, "Workload name in the results, e.g. W1 (default: --workload)")->check(csv_safe);
  app.add_option("--ready-timeout-s", options.ready_timeout_s, "ping: give up after this long")->default_val(30);
  CLI11_PARSE(app, argc, argv);

  if (plan.target.system == System::postgres ? plan.target.database_url.empty() : options.ports.empty()) {
    std::cerr << "queue-bench: --system " << (plan.target.system == System::postgres ? "postgres needs --database-url"
                                                                                       : "needs --port")
              << "\n";
    return 2;
  }
  if (!options.ports.empty()) plan.target = with_ports(std::move(plan.target), options.ports);

  if (options.label.empty()) {
    for (const auto& [name, system] : systems) {
      if (system == plan.target.system) options.label = name;
    }
  }
  if (options.workload == "steady" && plan.rate <= 0) {
    std::cerr << "queue-bench: --workload steady needs --rate\n";
    return 2;
  }
  if (options.workload == "stats-poll" && plan.target.system != System::queue) {
    std::cerr << "queue-bench: --workload stats-poll needs --system queue\n";
    return 2;
  }
  if (options.workload == "backlog" && plan.backlogs.empty()) {
    std::cerr << "queue-bench: --workload backlog needs --backlogs\n";
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "queue-bench: " << error.what() << "\n";
    return 1;
  }
}
