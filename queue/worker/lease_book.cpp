#include "queue/worker/lease_book.h"

#include <chrono>

namespace queue::worker {

namespace {

// The states in which the heartbeat keeps a lease alive and decides if it is lost.
bool heartbeat_decides(LeaseState state) {
  return state == LeaseState::waiting || state == LeaseState::running;
}

bool heartbeat_extends(LeaseState state) { return heartbeat_decides(state) || state == LeaseState::ack_pending; }

}  // namespace

void LeaseBook::add(const LeasePtr& lease) {
  std::lock_guard lock(mutex_);
  leases_.emplace(lease.get(), lease);
}

std::size_t LeaseBook::size() const {
  std::lock_guard lock(mutex_);
  return leases_.size();
}

bool LeaseBook::start(const LeasePtr& lease, std::optional<Clock::time_point> handler_deadline) {
  std::lock_guard lock(mutex_);
  if (!lease->held || lease->state != LeaseState::waiting) return false;
  lease->state = LeaseState::running;
  lease->handler_deadline = handler_deadline;
  return true;
}

bool LeaseBook::settle(const LeasePtr& lease, LeaseState next) {
  std::lock_guard lock(mutex_);
  if (!lease->held) return false;
  lease->state = next;
  lease->handler_deadline.reset();
  return true;
}

std::vector<LeasePtr> LeaseBook::begin_ack(const std::vector<LeasePtr>& leases) {
  std::lock_guard lock(mutex_);
  std::vector<LeasePtr> sendable;
  sendable.reserve(leases.size());
  for (const LeasePtr& lease : leases) {
    if (!lease->held) continue;
    lease->state = LeaseState::ack_in_flight;
    sendable.push_back(lease);
  }
  return sendable;
}

void LeaseBook::end_ack_attempt(const std::vector<LeasePtr>& leases) {
  std::lock_guard lock(mutex_);
  for (const LeasePtr& lease : leases) {
    if (lease->held) lease->state = LeaseState::ack_pending;
  }
}

bool LeaseBook::remove(const LeasePtr& lease) {
  std::lock_guard lock(mutex_);
  return remove_locked(lease);
}

bool LeaseBook::extension_refused(const LeasePtr& lease) {
  std::lock_guard lock(mutex_);
  if (!lease->held || !heartbeat_decides(lease->state)) return false;
  return remove_locked(lease);
}

void LeaseBook::extended(const LeasePtr& lease, Clock::time_point expires_at) {
  std::lock_guard lock(mutex_);
  if (lease->held && expires_at > lease->expires_at) lease->expires_at = expires_at;
}

LeaseBook::Round LeaseBook::heartbeat(Clock::time_point now, double extend_when_remaining) {
  std::lock_guard lock(mutex_);
  Round round;
  for (auto it = leases_.begin(); it != leases_.end();) {
    const LeasePtr& lease = it->second;
    if (!heartbeat_extends(lease->state)) {
      ++it;
      continue;
    }
    if (lease->expires_at <= now) {
      // No extension arrived in time: the queue may already have handed the message
      // to someone else. Even an ack_pending lease is lost: its ack would be refused.
      lease->held = false;
      round.expired.push_back(lease);
      it = leases_.erase(it);
      continue;
    }
    if (lease->handler_deadline && *lease->handler_deadline <= now) {
      lease->handler_deadline.reset();
      round.timed_out.push_back(lease);
    }
    const auto visibility = std::chrono::duration_cast<Clock::time_point::duration>(
        std::chrono::seconds(lease->visibility_timeout_s) * extend_when_remaining);
    if (lease->expires_at - now < visibility) round.to_extend.push_back(lease);
    ++it;
  }
  return round;
}

std::vector<LeasePtr> LeaseBook::running() const {
  std::lock_guard lock(mutex_);
  std::vector<LeasePtr> result;
  for (const auto& [key, lease] : leases_) {
    if (lease->state == LeaseState::running) result.push_back(lease);
  }
  return result;
}

bool LeaseBook::remove_locked(const LeasePtr& lease) {
  if (!lease->held) return false;
  lease->held = false;
  leases_.erase(lease.get());
  return true;
}

}  // namespace queue::worker
