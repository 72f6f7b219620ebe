// Many consumers on one queue, each on its own thread and connection, recording
// every lease they hold (leases.h) until the queue's whole backlog is acked.
//
// To make leases change hands (and not only be held once and acked), a consumer
// releases some deliveries at once (visibility 0) instead of acking them, so another
// consumer receives the same message next.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/concurrency/leases.h"
#include "tests/concurrency/queue_server.h"

namespace robustness {

struct CrowdOptions {
  std::string queue;
  int consumers = 16;
  std::size_t messages_to_ack = 0;  // the backlog: the crowd stops once this many acks succeeded
  int max_per_receive = 10;
  int release_one_in = 8;               // 0: never release
  int release_below_receive_count = 3;  // keeps every message moving towards its ack
  std::uint64_t seed = 1;
  std::chrono::seconds deadline{40};
};

struct CrowdResult {
  std::vector<Lease> leases;
  std::vector<std::string> failures;  // requests that did not answer as the API promises
  bool timed_out = false;
};

CrowdResult run_consumer_crowd(const QueueServer& server, const CrowdOptions& options);

}  // namespace robustness
