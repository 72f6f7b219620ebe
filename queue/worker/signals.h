// Running a Worker as a process: stop it gracefully on SIGTERM (Heroku's deploys and
// scale-downs) or SIGINT (Ctrl-C).
//
//   int main() {
//     queue::worker::TerminationSignals signals;  // first, before any thread starts
//     auto client = queue::remote::make_http_client({.base_url = url, .token = token});
//     queue::worker::Worker worker(client, "orders", handle);
//     return queue::worker::run_until_signal(worker, signals) > 0 ? 0 : 1;
//   }
//
// Why a mask rather than a signal handler: a handler may do almost nothing (no locks,
// no joins), while stopping a worker is all locks and joins. So the signals are
// blocked, and a thread waits for them with sigwait() and then stops the worker as
// ordinary code. A process-directed signal goes to any thread that does not block
// it, hence "first": every thread started afterwards (the client's, the worker's)
// inherits the mask. Kept apart from Worker, which never touches signals: a library
// embedded in an app must not take the app's signals.
#pragma once

#include <csignal>

#include "queue/worker/worker.h"

namespace queue::worker {

class TerminationSignals {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts later).
  TerminationSignals();
  // Restores the calling thread's previous mask.
  ~TerminationSignals();
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  // Waits for SIGTERM or SIGINT; returns its number.
  int wait();

 private:
  sigset_t signals_;
  sigset_t previous_;
};

// Starts the worker (if it is not yet), waits for SIGTERM or SIGINT, stops the worker
// gracefully (Worker::stop: drain, give back, flush) and returns the signal's number.
int run_until_signal(Worker& worker, TerminationSignals& signals);

}  // namespace queue::worker
