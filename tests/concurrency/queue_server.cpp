#include "tests/concurrency/queue_server.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.h"

namespace robustness {
namespace {

constexpr auto ready_timeout = std::chrono::seconds(20);
constexpr auto exit_timeout = std::chrono::seconds(10);
constexpr auto ready_poll_interval = std::chrono::milliseconds(10);
constexpr int start_attempts = 3;
constexpr const char* log_name = "queue-server.log";

}  // namespace

QueueServer::QueueServer(std::string binary, std::filesystem::path directory, test_support::Environment extra)
    : binary_(std::move(binary)), directory_(std::move(directory)), port_(test_support::free_port()) {
  environment_ = {
      {"HOST", "127.0.0.1"},
      {"WEB_CONCURRENCY", "4"},
      {"QUEUE_DATABASE_URL", "sqlite:" + database_path()},
      {"QUEUE_DURABILITY", "fsync"},
      // After a kill the file is free at once: no reason to back off for long.
      {"QUEUE_OPEN_RETRY_MIN_MS", "20"},
      {"QUEUE_OPEN_RETRY_MAX_MS", "200"},
  };
  for (auto& [key, value] : extra) environment_[key] = value;
}

QueueServer::~QueueServer() = default;

void QueueServer::start() {
  if (process_ && process_->running()) throw std::logic_error("QueueServer::start: already running");
  // Another process may have taken the port while ours was down: then move to a new one.
  for (int attempt = 1; attempt <= start_attempts; ++attempt) {
    environment_["PORT"] = std::to_string(port());
    process_ = std::make_unique<test_support::ChildProcess>(binary_, std::vector<std::string>{}, environment_,
                                                            (directory_ / log_name).string());
    if (wait_until_ready(ready_timeout)) return;
    if (process_->running()) break;  // alive but not ready: a real failure, not a port race
    port_ = test_support::free_port();
  }
  throw std::runtime_error(binary_ + " did not get ready:\n" + output());
}

void QueueServer::kill_hard() {
  if (!process_) return;
  process_->send_signal(SIGKILL);
  if (!process_->wait_for_exit(exit_timeout)) throw std::runtime_error("queue-server survived SIGKILL");
}

std::string QueueServer::output() const {
  std::ifstream in(directory_ / log_name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool QueueServer::wait_until_ready(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  test::HttpClient client(port(), std::chrono::seconds(2));
  while (process_->running() && std::chrono::steady_clock::now() < deadline) {
    try {
      if (client.get("/api/v1/queue/readyz").status == 200) return true;
    } catch (const std::runtime_error&) {
      client.close();  // not listening yet
    }
    std::this_thread::sleep_for(ready_poll_interval);
  }
  return false;
}

}  // namespace robustness
