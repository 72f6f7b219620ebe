// What the end-to-end worker tests share: a real queue-server to talk to (tests/
// concurrency's QueueServer and QueueApiClient), ledger-worker processes to start and
// kill, and waits that are always bounded.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tests/concurrency/queue_api_client.h"
#include "tests/concurrency/queue_server.h"
#include "tests/support/process.h"
#include "tests/worker_e2e/ledger.h"

namespace worker_e2e {

// Looks at `condition` every 10 ms until it holds (true) or `timeout` passed (false).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// The server's base URL, as QUEUE_URL gives it to a worker or example process.
std::string queue_url(const robustness::QueueServer& server);

// Sends `count` messages ("message-0", ...), 100 to a request; their ids in order.
// Throws std::runtime_error when the server refuses or does not answer.
std::vector<std::string> send_messages(robustness::QueueApiClient& client, const std::string& queue, int count);

// No message left in the queue: none visible, in flight or delayed.
bool is_empty(robustness::QueueApiClient& client, const std::string& queue);

// A ledger-worker process (ledger_worker.cpp) working `queue`; its ledger and its log
// are files in `directory` named after it. Killed with the test if still running.
class LedgerWorker {
 public:
  struct Options {
    int concurrency = 8;
    std::chrono::milliseconds work{20};
  };

  LedgerWorker(std::string name, const std::filesystem::path& directory, const robustness::QueueServer& server,
               const std::string& queue, Options options);

  const std::string& name() const { return name_; }
  test_support::ChildProcess& process() { return process_; }
  // What the process wrote to stdout and stderr so far.
  std::string output() const { return process_.output(); }
  std::vector<LedgerRecord> ledger() const { return read_ledger(ledger_path_); }
  // Ledger records of one kind so far.
  std::size_t count(LedgerEvent event) const;

 private:
  std::string name_;
  std::string ledger_path_;
  test_support::ChildProcess process_;
};

}  // namespace worker_e2e
