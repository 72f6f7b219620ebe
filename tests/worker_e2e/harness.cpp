#include "tests/worker_e2e/harness.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace worker_e2e {
namespace {

// Polling is only for waiting on another process's progress, never for test logic.
constexpr std::chrono::milliseconds poll_interval{10};
constexpr int send_batch = 100;  // the API's most messages per send

}  // namespace

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll_interval);
  }
}

std::string queue_url(const robustness::QueueServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port());
}

std::vector<std::string> send_messages(robustness::QueueApiClient& client, const std::string& queue, int count) {
  std::vector<std::string> ids;
  for (int first = 0; first < count; first += send_batch) {
    std::vector<robustness::OutgoingMessage> batch;
    for (int i = first; i < std::min(count, first + send_batch); ++i) {
      robustness::OutgoingMessage message;
      message.body = "message-" + std::to_string(i);
      batch.push_back(std::move(message));
    }
    robustness::Answer<std::vector<std::string>> sent = client.send(queue, batch);
    if (!sent.ok()) throw std::runtime_error("send to " + queue + " failed: " + sent.problem);
    ids.insert(ids.end(), sent.value->begin(), sent.value->end());
  }
  return ids;
}

bool is_empty(robustness::QueueApiClient& client, const std::string& queue) {
  robustness::Answer<robustness::QueueStats> stats = client.stats(queue);
  return stats.ok() && stats.value->total() == 0;
}

LedgerWorker::LedgerWorker(std::string name, const std::filesystem::path& directory,
                           const robustness::QueueServer& server, const std::string& queue, Options options)
    : name_(std::move(name)),
      ledger_path_((directory / (name_ + ".ledger")).string()),
      process_(LEDGER_WORKER_BINARY,
               {queue, ledger_path_, std::to_string(options.concurrency), std::to_string(options.work.count())},
               {{"QUEUE_URL", queue_url(server)}}, (directory / (name_ + ".log")).string()) {}

std::size_t LedgerWorker::count(LedgerEvent event) const {
  const std::vector<LedgerRecord> records = ledger();
  return static_cast<std::size_t>(
      std::count_if(records.begin(), records.end(), [event](const LedgerRecord& record) { return record.event == event; }));
}

}  // namespace worker_e2e
