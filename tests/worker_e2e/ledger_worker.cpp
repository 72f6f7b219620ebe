// ledger-worker: the worker the end-to-end tests run as a process of its own (and
// kill): the worker SDK over the HTTP client, recording in a ledger (ledger.h) what
// its handlers do, so the test can tell afterwards what ran, where and when.
//
//   QUEUE_URL=http://127.0.0.1:PORT ledger-worker QUEUE LEDGER CONCURRENCY WORK_MS
//
// Each job writes "start", works for WORK_MS (watching its stop token), writes "done"
// and acks; a job whose token fired writes no "done" and asks for a retry, since it
// did not finish. SIGTERM or SIGINT stops the worker gracefully and exits 0.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>

#include "queue/remote/http_client.h"
#include "queue/worker/signals.h"
#include "queue/worker/worker.h"
#include "tests/worker_e2e/ledger.h"

namespace {

using queue::worker::Job;
using queue::worker::Outcome;
using worker_e2e::LedgerEvent;
using worker_e2e::LedgerRecord;

// The tests give their queue a 2 s visibility timeout, so that a killed worker's
// leases end soon. The default 1 s heartbeat would find such a lease with less than a
// third left only at its very edge; a 250 ms one extends it with time to spare.
constexpr std::chrono::milliseconds heartbeat_interval{250};

class Ledger {
 public:
  explicit Ledger(const char* path) : fd_(::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {}
  ~Ledger() {
    if (fd_ >= 0) ::close(fd_);
  }
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  bool is_open() const { return fd_ >= 0; }

  // One write() per line (see ledger.h). Called from handler and hook threads at once.
  void append(const LedgerRecord& record) const {
    const std::string line = worker_e2e::ledger_line(record);
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      std::cerr << "ledger write failed: " << std::strerror(errno) << std::endl;
      std::abort();  // a ledger with a hole would make the test's verdict wrong
    }
  }

 private:
  int fd_;
};

// Sleeps `duration` unless the job's stop token fires first; false if it fired.
bool work(const Job& job, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any never_notified;
  std::unique_lock lock(mutex);
  never_notified.wait_for(lock, job.stop_token(), duration, [] { return false; });
  return !job.stop_requested();
}

}  // namespace

int main(int argc, char** argv) {
  queue::worker::TerminationSignals signals;  // first: every thread started later inherits the mask
  const char* url = std::getenv("QUEUE_URL");
  if (argc != 5 || url == nullptr) {
    std::cerr << "usage: QUEUE_URL=http://HOST:PORT ledger-worker QUEUE LEDGER CONCURRENCY WORK_MS\n";
    return 2;
  }
  const Ledger ledger(argv[2]);
  if (!ledger.is_open()) {
    std::cerr << "cannot open " << argv[2] << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  const std::chrono::milliseconds work_time(std::atoi(argv[4]));

  queue::worker::WorkerOptions options;
  options.concurrency = std::atoi(argv[3]);
  options.heartbeat_interval = heartbeat_interval;
  options.hooks.on_succeeded = [&ledger](const Job& job) { ledger.append({LedgerEvent::acked, job.id()}); };
  options.hooks.on_lease_lost = [&ledger](const Job& job) { ledger.append({LedgerEvent::lease_lost, job.id()}); };

  queue::worker::Worker worker(
      queue::remote::make_http_client({.base_url = url}), argv[1],
      [&ledger, work_time](const Job& job) {
        ledger.append({LedgerEvent::start, job.id(), job.receive_count(), worker_e2e::steady_ms()});
        if (!work(job, work_time)) return Outcome::retry();
        ledger.append({LedgerEvent::done, job.id()});
        return Outcome::ack();
      },
      options);
  const int signal = queue::worker::run_until_signal(worker, signals);

  const queue::worker::WorkerCounters counters = worker.counters();
  std::cerr << "stopped on signal " << signal << ": received=" << counters.received
            << " succeeded=" << counters.succeeded << " failed=" << counters.failed
            << " retried=" << counters.retried << " lease_lost=" << counters.lease_lost << std::endl;
  return 0;
}
