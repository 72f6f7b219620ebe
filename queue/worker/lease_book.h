// LeaseBook: every lease the worker holds, and the one lock over their states.
//
// Handler threads, the heartbeat and the acker all move leases from state to state;
// each move is one call here, checked and made under one lock, so exactly one of
// them removes a lease (and so exactly one reports it acked, retried or lost).
// Internal to queue/worker.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "queue/worker/clock.h"
#include "queue/worker/lease.h"

namespace queue::worker {

class LeaseBook {
 public:
  void add(const LeasePtr& lease);
  std::size_t size() const;

  // waiting -> running. False when it was lost while waiting: do not run it.
  bool start(const LeasePtr& lease, std::optional<Clock::time_point> handler_deadline);
  // running -> ack_pending or retrying. False when it was lost: drop the outcome.
  bool settle(const LeasePtr& lease, LeaseState next);
  // ack_pending -> ack_in_flight for those still held; the others were lost (and
  // already reported) and are left out.
  std::vector<LeasePtr> begin_ack(const std::vector<LeasePtr>& leases);
  // ack_in_flight -> ack_pending: the ack call failed and will be tried again.
  void end_ack_attempt(const std::vector<LeasePtr>& leases);

  // Removes a lease whose fate is known (acked, handed back, or lost by the answer of
  // its ack or retry). True when it was still held: the caller reports that fate, once.
  bool remove(const LeasePtr& lease);
  // The heartbeat's extension was refused. If the heartbeat decides for this lease
  // (waiting or running), it is removed and true returned: the caller reports it.
  bool extension_refused(const LeasePtr& lease);
  void extended(const LeasePtr& lease, Clock::time_point expires_at);

  struct Round {
    std::vector<LeasePtr> expired;    // removed: the caller reports them lost
    std::vector<LeasePtr> timed_out;  // running past their handler deadline (each listed once)
    std::vector<LeasePtr> to_extend;  // less than `extend_when_remaining` of their lease left
  };
  // One heartbeat's look at every lease it decides for.
  Round heartbeat(Clock::time_point now, double extend_when_remaining);

  // Leases whose handler is running (to cancel at the drain deadline).
  std::vector<LeasePtr> running() const;

 private:
  bool remove_locked(const LeasePtr& lease);

  mutable std::mutex mutex_;
  std::unordered_map<const Lease*, LeasePtr> leases_;
};

}  // namespace queue::worker
