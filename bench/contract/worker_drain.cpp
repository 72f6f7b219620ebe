#include "bench/contract/worker_drain.h"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include "bench/ledger.h"
#include "bench/server_process.h"
#include "queue/worker/worker.h"

namespace bench {
namespace worker = queue::worker;
namespace {

// How often the waiting thread looks at the deadline and at progress; the end itself
// is signalled by the last ack, so this costs no accuracy.
constexpr std::chrono::milliseconds kCheckInterval{100};

// What the worker's hooks tell the thread that waits for the drain to end.
struct Progress {
  explicit Progress(std::uint64_t messages) : target(messages) {}

  const std::uint64_t target;
  std::atomic<std::uint64_t> acked{0};
  std::atomic<std::uint64_t> last_ack_ns{0};
  std::atomic<std::uint64_t> errors{0};
  std::mutex mutex;
  std::condition_variable done;

  void on_acked() {
    last_ack_ns.store(now_ns(), std::memory_order_relaxed);
    if (acked.fetch_add(1) + 1 == target) {
      std::lock_guard lock(mutex);  // so the waiter cannot miss the notification
      done.notify_all();
    }
  }
};

worker::WorkerOptions options_for(const Plan& plan, Progress& progress) {
  worker::WorkerOptions options;
  options.concurrency = static_cast<int>(plan.connections);
  options.hooks.on_succeeded = [&progress](const worker::Job&) { progress.on_acked(); };
  options.hooks.on_client_error = [&progress](std::string_view operation, const queue::contract::Error& error) {
    if (progress.errors.fetch_add(1) == 0) {
      std::cerr << "worker: " << operation << " failed: " << queue::contract::to_string(error.code) << ": "
                << error.message << "\n";
    }
  };
  return options;
}

}  // namespace

Result drain_with_worker(const Plan& plan) {
  Ledger ledger(plan.messages);
  Progress progress(plan.messages);
  worker::Worker drainer(
      plan.target.contract, plan.target.queue,
      [&ledger](const worker::Job& job) {
        ledger.record(job.body());
        return worker::Outcome::ack();
      },
      options_for(plan, progress));

  ServerCpu cpu(plan.server_pid);
  cpu.start();
  const std::uint64_t start_ns = now_ns();
  const auto deadline = plan.max_time ? std::chrono::steady_clock::now() + *plan.max_time
                                      : std::chrono::steady_clock::time_point::max();
  drainer.start();
  bool cut_short = false;
  {
    std::unique_lock lock(progress.mutex);
    std::uint64_t seen = 0;
    auto last_progress = std::chrono::steady_clock::now();
    while (!progress.done.wait_for(lock, kCheckInterval, [&] { return progress.acked.load() >= plan.messages; })) {
      const auto now = std::chrono::steady_clock::now();
      if (now > deadline) {
        cut_short = true;
        break;
      }
      if (const std::uint64_t acked = progress.acked.load(); acked != seen) {
        seen = acked;
        last_progress = now;
      } else if (now - last_progress > plan.drain_timeout) {
        break;  // what is missing was lost: the ledger will say so
      }
    }
  }
  cpu.stop();
  drainer.stop();

  Result result;
  result.connections = plan.connections;
  result.batch = plan.batch;
  result.messages = progress.acked.load();
  const std::uint64_t last = progress.last_ack_ns.load();
  result.seconds = last > start_ns ? double(last - start_ns) / 1e9 : 0;
  result.errors = progress.errors.load();
  result.server_cpu_seconds = cpu.seconds();
  result.ledger = ledger.summary(cut_short ? std::nullopt : std::optional<std::uint64_t>(plan.messages));
  result.cut_short = cut_short;
  return result;
}

}  // namespace bench
