#include "bench/worker_pool.h"

#include <chrono>
#include <exception>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace bench {

void WorkerStats::merge(const WorkerStats& other) {
  calls.merge(other.calls);
  send_to_receive.merge(other.send_to_receive);
  messages += other.messages;
  errors += other.errors;
}

PoolResult run_pool(const Target& target, std::size_t workers, const Job& job) {
  std::vector<WorkerStats> stats(workers);
  std::latch connected(static_cast<std::ptrdiff_t>(workers) + 1);
  std::latch released(1);
  std::mutex stderr_mutex;
  auto report = [&](std::size_t worker, const std::exception& error) {
    std::lock_guard lock(stderr_mutex);
    std::cerr << "queue-bench: worker " << worker << ": " << error.what() << "\n";
  };

  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t worker = 0; worker < workers; ++worker) {
    threads.emplace_back([&, worker] {
      std::unique_ptr<Client> client;
      try {
        client = connect_client(target, worker);
      } catch (const std::exception& error) {
        report(worker, error);
        ++stats[worker].errors;
      }
      connected.count_down();
      released.wait();
      if (!client) return;
      try {
        job(worker, *client, stats[worker]);
      } catch (const std::exception& error) {
        report(worker, error);
        ++stats[worker].errors;
      }
    });
  }

  connected.arrive_and_wait();
  const auto start = std::chrono::steady_clock::now();
  released.count_down();
  for (std::thread& thread : threads) thread.join();
  PoolResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const WorkerStats& worker_stats : stats) result.stats.merge(worker_stats);
  return result;
}

}  // namespace bench
