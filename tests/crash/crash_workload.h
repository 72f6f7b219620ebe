// Producers and consumers that keep working while the server is killed and
// restarted under them, recording what they learn in a CrashLedger.
//
// Producers send batches of 1..5 messages, each body unique. Consumers receive with a
// short visibility timeout and ack at once, except that now and then one abandons
// what it received, as a consumer that crashed would: those leases must expire and
// the messages come back, across restarts too. A request the server did not answer (it
// was killed, or is still opening its storage) is retried shortly after; any other
// non-2xx answer is a violation, since every request the workload makes is valid.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/concurrency/queue_server.h"
#include "tests/crash/crash_ledger.h"

namespace robustness {

struct CrashWorkloadOptions {
  std::string queue;
  int producers = 3;
  int consumers = 2;             // fewer than producers, so a backlog builds up for the kills to hit
  int abandon_one_in = 10;       // receives whose messages are left to expire instead of acked
  int visibility_timeout_s = 2;  // short, so leases lost with a killed server come back soon
  std::uint64_t seed = 1;
};

class CrashWorkload {
 public:
  CrashWorkload(const QueueServer& server, CrashLedger& ledger, CrashWorkloadOptions options);
  ~CrashWorkload();  // stops and joins every thread
  CrashWorkload(const CrashWorkload&) = delete;
  CrashWorkload& operator=(const CrashWorkload&) = delete;

  void start();
  void stop_producers();
  void stop_consumers();

 private:
  void produce(int producer);
  void consume(int consumer);
  // Runs one step of a client loop, turning a malformed 2xx into a violation.
  template <typename Step>
  void guarded(Step step);

  const QueueServer& server_;
  CrashLedger& ledger_;
  const CrashWorkloadOptions options_;
  std::atomic<bool> producing_{false};
  std::atomic<bool> consuming_{false};
  std::vector<std::thread> producers_;
  std::vector<std::thread> consumers_;
};

// Receives and acks until the queue is empty (leases lost in the last kill expire
// first). False if it is not empty by `deadline`.
bool drain_queue(const QueueServer& server, CrashLedger& ledger, const std::string& queue,
                 std::chrono::steady_clock::time_point deadline);

}  // namespace robustness
