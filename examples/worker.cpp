// A worker process over Queue's HTTP API: processes the messages of one queue until
// SIGTERM or Ctrl-C, then stops gracefully (drain, give back, flush acks).
//
//   QUEUE_URL=http://127.0.0.1:5000 example-worker orders [concurrency] [work_ms]
//
// Each job "works" for work_ms (default 0), watching its stop token, then prints one
// line, "processed id=<id> receive_count=<n> body=<body>", and acks. A job whose
// token fired (lease lost, shutdown past the drain timeout) asks for a retry instead:
// it did not finish. The end-to-end tests read these lines to count deliveries.
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <syncstream>

#include "example_args.h"
#include "queue/worker/signals.h"
#include "queue/worker/worker.h"

using queue::worker::Job;
using queue::worker::Outcome;

// Sleeps `duration` unless the job's stop token fires first; false if it fired.
static bool work(const Job& job, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any stopped;
  std::unique_lock lock(mutex);
  return !stopped.wait_for(lock, job.stop_token(), duration, [] { return false; }) && !job.stop_requested();
}

int main(int argc, char** argv) {
  queue::worker::TerminationSignals signals;  // first: every thread started later inherits the mask
  if (argc < 2) {
    std::cerr << "usage: example-worker QUEUE [CONCURRENCY] [WORK_MS]\n";
    return 2;
  }
  queue::worker::WorkerOptions options;
  if (argc > 2) options.concurrency = std::atoi(argv[2]);
  const std::chrono::milliseconds work_time(argc > 3 ? std::atoi(argv[3]) : 0);

  queue::worker::Worker worker(queue::remote::make_http_client(examples::client_options()), argv[1],
                               [work_time](const Job& job) {
                                 if (!work(job, work_time)) return Outcome::retry();
                                 std::osyncstream(std::cout) << "processed id=" << job.id()
                                                             << " receive_count=" << job.receive_count()
                                                             << " body=" << job.body() << std::endl;
                                 return Outcome::ack();
                               },
                               options);
  const int signal = queue::worker::run_until_signal(worker, signals);

  const queue::worker::WorkerCounters counters = worker.counters();
  std::cerr << "stopped on signal " << signal << ": received=" << counters.received
            << " succeeded=" << counters.succeeded << " failed=" << counters.failed
            << " retried=" << counters.retried << " lease_lost=" << counters.lease_lost << "\n";
  return 0;
}
