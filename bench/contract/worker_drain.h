// W2 the way a service would write it with the worker SDK: a queue::worker::Worker with
// `plan.connections` handlers drains the queue, each handler recording its message in
// the ledger and answering Outcome::ack(). The SDK decides the rest: one poller
// long-polls for as many messages as there are free handlers, acks go in batches.
//
// The rate is messages over the time from start() to the last ack the queue confirmed.
// Per-call latency is not measured: the SDK's calls are its own (the row's percentiles
// are 0).
#pragma once

#include "bench/workloads.h"

namespace bench {

// Drains `plan.messages` from plan.target (System::contract), whose queue holds them
// already (the worker reads its visibility timeout before the first receive), stopping
// early when `plan.max_time` passes or no ack was confirmed for `plan.drain_timeout`.
Result drain_with_worker(const Plan& plan);

}  // namespace bench
