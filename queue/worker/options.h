// How a Worker runs: WorkerOptions, and the hooks it calls.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "queue/contract/result.h"
#include "queue/worker/backoff.h"
#include "queue/worker/clock.h"
#include "queue/worker/job.h"

namespace queue::worker {

// Why a job did not end in an ack.
struct Failure {
  std::exception_ptr exception;    // what the handler threw; null when it returned retry
  std::chrono::seconds retry_delay{0};  // until its next delivery
};

// Called on the worker's threads, possibly several at once: they must be thread-safe,
// and quick (they hold up a handler slot, the heartbeat or the acker). A hook that
// throws is ignored.
struct WorkerHooks {
  std::function<void(const Job&)> on_started;                  // a handler thread, before the handler
  std::function<void(const Job&)> on_succeeded;                // once the queue confirmed the ack
  std::function<void(const Job&, const Failure&)> on_failed;   // the handler threw or asked for a retry
  // The lease was lost before the job's outcome was settled: its stop token fired, its
  // outcome is dropped, and the message is (or will be) delivered again.
  std::function<void(const Job&)> on_lease_lost;
  // A call to the queue failed as a whole ("receive", "get_queue", "ack",
  // "change_visibility"). The worker carries on: receives back off, acks are retried,
  // leases it could not extend end and their messages come back.
  std::function<void(std::string_view operation, const contract::Error&)> on_client_error;
};

struct WorkerOptions {
  // Handlers running at once, each on a thread of the worker's own.
  int concurrency = 10;
  // Messages asked for per receive (1..100). The worker never asks for more than its
  // free slots: a message it holds but cannot start would sit on a lease for nothing.
  int max_batch = 100;
  // Long-poll wait of each receive (0..20 s; Heroku's router ends a request at 30 s).
  int wait_s = 20;
  // The lease asked for on every receive. Absent: the queue's visibility_timeout_s,
  // read once (get_queue) before the first receive.
  std::optional<int> visibility_timeout_s;
  // Deadline of every call to the queue. A receive may take wait_s longer.
  std::chrono::milliseconds call_timeout{10'000};

  // Leases are extended (by the visibility timeout, counted from the extension) once
  // less than this fraction of the visibility timeout remains.
  double extend_when_remaining = 1.0 / 3.0;
  // How often the heartbeat looks at the leases (and at handler timeouts). Keep it well
  // under visibility_timeout * extend_when_remaining.
  std::chrono::milliseconds heartbeat_interval{1'000};

  // A handler running longer has its stop token fired (cooperative: the handler must
  // look at it). Absent: no limit.
  std::optional<std::chrono::milliseconds> handler_timeout;
  // On stop(): how long running handlers may take to finish before their stop tokens
  // fire. 25 s: Heroku sends SIGKILL 30 s after SIGTERM.
  std::chrono::milliseconds drain_timeout{25'000};

  // Acks wait this long for company, then go in one call of at most ack_batch_max.
  std::chrono::milliseconds ack_flush_delay{5};
  int ack_batch_max = 100;
  // After an ack call failed as a whole with `unavailable` or `deadline_exceeded`, the
  // acks are tried again after this pause (their leases are still being extended).
  std::chrono::milliseconds ack_retry_pause{200};

  // Delay before the next delivery of a job that failed or returned Outcome::retry().
  BackoffPolicy retry_backoff;
  // Pause after a failed receive, growing with consecutive failures.
  BackoffPolicy receive_backoff{std::chrono::milliseconds(100), std::chrono::milliseconds(10'000)};

  WorkerHooks hooks;
  std::shared_ptr<const Clock> clock;  // null: SteadyClock
  UnitRandom random;                   // null: default_unit_random()
};

}  // namespace queue::worker
