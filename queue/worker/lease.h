// One message this worker holds under a lease, from its receive until its outcome is
// settled (acked, handed back for a retry) or the lease is lost. Internal to queue/worker.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <stop_token>

#include "queue/contract/types.h"
#include "queue/worker/clock.h"
#include "queue/worker/job.h"

namespace queue::worker {

// Where a lease is in its life. The state decides who may declare it lost: while
// the handler runs or waits, the heartbeat does (an extension refused, or the expiry
// passed); once the outcome is being settled, the settling call's answer does, so
// that one answer never contradicts another (an extension refused because the ack
// just deleted the message must not count as a lost lease).
enum class LeaseState {
  waiting,        // received, not started: prefetched into a free slot
  running,        // its handler runs
  ack_pending,    // the handler said ack; the acker will send it (the heartbeat still extends it)
  ack_in_flight,  // the ack call is out: its answer decides
  retrying,       // the handler's thread is handing it back (change_visibility): that answer decides
};

struct Lease {
  Lease(contract::ReceivedMessage received, int visibility_s, Clock::time_point expiry)
      : message(std::move(received)), visibility_timeout_s(visibility_s), expires_at(expiry) {}

  // Fires the job's stop token; the first reason is the one the handler sees.
  void cancel(StopReason reason) {
    StopReason none = StopReason::none;
    stop_reason.compare_exchange_strong(none, reason, std::memory_order_acq_rel);
    stop.request_stop();
  }

  const contract::ReceivedMessage message;
  const int visibility_timeout_s;  // what the receive asked for: each extension asks for it again
  std::stop_source stop;
  std::atomic<StopReason> stop_reason{StopReason::none};

  // Guarded by the LeaseBook's mutex.
  LeaseState state = LeaseState::waiting;
  Clock::time_point expires_at;  // conservative: counted from when the call that set it was sent
  std::optional<Clock::time_point> handler_deadline;
  bool held = true;  // false once removed from the book (settled or lost)
};

using LeasePtr = std::shared_ptr<Lease>;

}  // namespace queue::worker
