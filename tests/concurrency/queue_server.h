// A real `queue-server` process for the robustness tests (tests/concurrency,
// tests/crash): on a loopback port, over one SQLite file that outlives the process,
// so a test can kill -9 it and start it again on the same data.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/process.h"

namespace robustness {

class QueueServer {
 public:
  // Nothing runs until start(). `extra` adds to (or overrides) the environment below.
  QueueServer(std::string binary, std::filesystem::path directory, test_support::Environment extra = {});
  ~QueueServer();
  QueueServer(const QueueServer&) = delete;
  QueueServer& operator=(const QueueServer&) = delete;

  // Starts the process and waits until /api/v1/queue/readyz answers 200, i.e. the storage is
  // open. Restarts reuse the port when they can, so clients simply reconnect. Throws
  // std::runtime_error with the server's output when it does not get ready in time.
  void start();
  // SIGKILL, then waits for the process to be gone: no shutdown code runs.
  void kill_hard();

  // The port clients should use now; safe to read from any thread.
  unsigned short port() const { return port_.load(); }
  // Every log line of every run so far.
  std::string output() const;
  std::string database_path() const { return (directory_ / "q.db").string(); }

 private:
  bool wait_until_ready(std::chrono::milliseconds timeout);

  std::string binary_;
  std::filesystem::path directory_;
  test_support::Environment environment_;
  std::atomic<unsigned short> port_;
  std::unique_ptr<test_support::ChildProcess> process_;
};

}  // namespace robustness
