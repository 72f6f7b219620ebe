// queue-bench-contract: the benchmark's workloads through Queue's own C++ client
// (queue/contract/client.h) instead of a wire protocol, writing rows into the same
// results.csv as queue-bench (issue 9 part 5; docs/performance.md):
//
//   --in-process sqlite:PATH   a Queue mounted in this process (queue::mount_queue, as
//                              Raptor mounts it), called through its in-process client:
//                              no HTTP, no JSON, no socket. Each run mounts it afresh on
//                              PATH, so consecutive runs see the same data, as they would
//                              a server's.
//   --url http://HOST:PORT     a queue-server, through the remote client (queue/remote).
//
// Workloads: produce and consume are queue-bench's own (bench/workloads.h), each
// connection a thread calling the blocking client; worker drains the queue with the
// worker SDK instead (bench/contract/worker_drain.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "bench/contract/in_process_queue.h"
#include "bench/contract/worker_drain.h"
#include "queue/remote/http_client.h"

namespace {

using namespace bench;

struct Options {
  Plan plan;
  std::string database_url;  // --in-process
  std::string durability = "fsync";
  std::string url;  // --url
  std::string workload = "produce";
  std::string csv_path;
  std::string label;  // default: inproc, or queue over HTTP
  std::string mode;   // default: the durability in process, else "default"
  std::string tag;
  double ready_timeout_s = 30;
};

std::shared_ptr<queue::contract::QueueClient> remote_client(const Options& options) {
  queue::remote::HttpClientOptions client_options;
  client_options.base_url = options.url;
  // As many keep-alive connections as threads calling, as queue-bench has: no thread
  // waits for a connection, so both clients are measured at the same concurrency.
  client_options.max_connections_per_host = static_cast<unsigned>(options.plan.connections);
  return queue::remote::make_http_client(std::move(client_options));
}

int run(Options options) {
  // Declared first, destroyed last: every client call has returned before Queue shuts down.
  std::optional<InProcessQueue> in_process;
  Target& target = options.plan.target;
  target.system = System::contract;
  if (!options.database_url.empty()) {
    in_process.emplace(options.database_url, options.durability);
    target.contract = in_process->client();
    // The process is Queue's and its clients' at once: its CPU time is what the in-process
    // client costs altogether.
    if (!options.plan.server_pid) options.plan.server_pid = static_cast<int>(getpid());
  } else {
    target.contract = remote_client(options);
  }
  // In process, Queue opens its storage in the background on every mount.
  wait_until_ready(target, std::chrono::duration<double>(options.ready_timeout_s));
  if (options.workload == "ping") return 0;

  std::vector<Result> results;
  if (options.workload == "produce") {
    results.push_back(produce(options.plan));
  } else if (options.workload == "consume") {
    results.push_back(consume(options.plan));
  } else {
    results.push_back(drain_with_worker(options.plan));
  }
  const Naming naming{options.label, options.mode, options.tag.empty() ? options.workload : options.tag};
  return publish(results, naming, options.csv_path) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"queue-bench-contract: the benchmark's workloads through Queue's C++ client, in process or over HTTP"};
  Options options;
  Plan& plan = options.plan;

  const auto csv_safe = [](const std::string& value) {
    return value.find_first_of(",\n\r") == std::string::npos ? std::string() : "must not contain a comma or newline";
  };
  auto* in_process = app.add_option("--in-process", options.database_url,
                                    "Mount Queue in this process on this QUEUE_DATABASE_URL (e.g. sqlite:/tmp/b/q.db)");
  auto* url = app.add_option("--url", options.url, "Call a queue-server here with the remote client (http://host:port)");
  in_process->excludes(url);
  app.add_option("--durability", options.durability, "--in-process: QUEUE_DURABILITY")
      ->default_val("fsync")
      ->check(CLI::IsMember({"fsync", "os"}));
  app.add_option("--workload", options.workload,
                 "ping, produce, consume (threads calling the blocking client), or worker (the worker SDK drains)")
      ->default_val("produce")
      ->check(CLI::IsMember({"ping", "produce", "consume", "worker"}));
  app.add_option("--messages", plan.messages, "Messages to send or expect")
      ->default_val(100'000)
      ->check(CLI::Range(1, 100'000'000));
  app.add_option("--connections", plan.connections, "Threads calling the client (worker: its concurrency)")
      ->default_val(4)
      ->check(CLI::Range(1, 1024));
  app.add_option("--batch", plan.batch, "produce, consume: messages per call")->default_val(1)->check(CLI::Range(1, 100));
  app.add_flag("--ack-on-receive", plan.ack_on_receive,
               "consume: each receive carries the previous batch's acks (one call per batch)");
  app.add_option("--max-seconds", plan.max_time, "Stop after this long; the CSV says how many moved");
  app.add_option("--drain-timeout-s", plan.drain_timeout, "worker: give up after this long without an ack")
      ->default_val(10);
  app.add_option("--queue", plan.target.queue, "Queue name")->default_val("bench");
  app.add_option("--server-pid", plan.server_pid,
                 "Process whose CPU time to report (default in process: this one, client included)");
  app.add_option("--csv", options.csv_path, "Append result rows to this CSV file (header when new)");
  app.add_option("--label", options.label, "System name in the results (default: inproc, or queue with --url)")
      ->check(csv_safe);
  app.add_option("--mode", options.mode, "Mode in the results (default: --durability in process, else default)")
      ->check(csv_safe);
  app.add_option("--tag", options.tag, "Workload name in the results, e.g. W1 (default: --workload)")->check(csv_safe);
  app.add_option("--ready-timeout-s", options.ready_timeout_s, "Wait this long for Queue to answer")->default_val(30);
  CLI11_PARSE(app, argc, argv);

  if (options.database_url.empty() == options.url.empty()) {
    std::cerr << "queue-bench-contract: give --in-process or --url\n";
    return 2;
  }
  const bool local = !options.database_url.empty();
  if (options.label.empty()) options.label = local ? "inproc" : "queue";
  if (options.mode.empty()) options.mode = local ? options.durability : "default";
  try {
    return run(std::move(options));
  } catch (const std::exception& error) {
    std::cerr << "queue-bench-contract: " << error.what() << "\n";
    return 1;
  }
}
