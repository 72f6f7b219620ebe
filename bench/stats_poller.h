// Issue 12: what watching Queue costs a producer. While a workload runs, one more
// connection asks what a monitor asks, in a loop without a pause: the queue's stats
// (GET <prefix>/queues/<name>, as a dashboard does) or the process's metrics (GET /metrics,
// as Prometheus does). A loop rather than a refresh every few seconds: it is the worst one
// client can do, and what cut a producer to a fifth when a stats call scanned the queue.
#pragma once

#include <functional>

#include "bench/drivers/client.h"
#include "bench/worker_pool.h"

namespace bench {

enum class Poll { stats, metrics };

struct Polled {
  WorkerStats calls;   // one "message" per call, each call's latency
  double seconds = 0;  // how long the poller ran
};

// Runs `part` on this thread while a poller thread, on a connection of its own to
// `target` (System::queue only), asks `what` again and again; stops it when `part`
// returns. A failed call ends the polling and counts as an error (the part goes on).
Polled poll_during(const Target& target, Poll what, const std::function<void()>& part);

}  // namespace bench
