// A real `raptor` or `queue-server` process on an ephemeral loopback port.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace test_support {

class ServerProcess {
 public:
  // Starts `binary` with `env` plus HOST=127.0.0.1, a free PORT and WEB_CONCURRENCY=2
  // (each unless `env` sets it), and waits until the port accepts connections.
  // Throws std::runtime_error with the server's output if it does not come up.
  ServerProcess(const std::string& binary, Environment env, const TempDir& dir, std::vector<std::string> args = {},
                std::string working_directory = "") {
    env.emplace("HOST", "127.0.0.1");
    env.emplace("WEB_CONCURRENCY", "2");
    bool fixed_port = env.contains("PORT");
    // Another process may take the free port before the server binds it: try a few.
    for (int attempt = 1; attempt <= 3; ++attempt) {
      if (!fixed_port) env["PORT"] = std::to_string(free_port());
      port_ = static_cast<unsigned short>(std::stoi(env["PORT"]));
      std::string log = dir.file("server-" + std::to_string(attempt) + "-" + std::to_string(port_) + ".log");
      process_ = std::make_unique<ChildProcess>(binary, args, env, log, working_directory);
      if (process_->wait_for_port(port_, std::chrono::seconds(20))) return;
      if (process_->running()) break;  // alive but not listening: a real failure, not a port race
    }
    throw std::runtime_error(binary + " did not start listening:\n" + process_->output());
  }

  unsigned short port() const { return port_; }
  ChildProcess& process() { return *process_; }
  std::string output() const { return process_->output(); }

  // Polls `target` until it answers `status`; false after `timeout`.
  bool wait_for_status(const std::string& target, int status,
                       std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    test::HttpClient client(port_);
    while (std::chrono::steady_clock::now() < deadline) {
      if (client.get(target).status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  unsigned short port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace test_support
