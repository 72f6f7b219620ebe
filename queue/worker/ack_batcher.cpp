#include "queue/worker/ack_batcher.h"

#include <algorithm>
#include <set>
#include <utility>

#include "queue/worker/batches.h"

namespace queue::worker {

AckBatcher::AckBatcher(contract::QueueClient& client, std::string queue, LeaseBook& book, AckOptions options,
                       LeaseEvents events)
    : client_(client), queue_(std::move(queue)), book_(book), options_(options), events_(std::move(events)) {}

AckBatcher::~AckBatcher() { stop(); }

void AckBatcher::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void AckBatcher::add(LeasePtr lease) {
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) oldest_pending_since_ = std::chrono::steady_clock::now();
    pending_.push_back(std::move(lease));
  }
  ready_.notify_one();
}

void AckBatcher::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void AckBatcher::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, stop, [&] { return !pending_.empty(); });
    if (pending_.empty()) return;  // stop requested and nothing left to flush
    // Coalescing: real time, not the worker's Clock: this is about call latency, not leases.
    ready_.wait_until(lock, stop, oldest_pending_since_ + options_.flush_delay,
                      [&] { return pending_.size() >= options_.max_batch; });
    const std::size_t count = std::min(pending_.size(), options_.max_batch);
    std::vector<LeasePtr> batch(std::make_move_iterator(pending_.begin()),
                                std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(count)));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
    const bool last_attempt = stop.stop_requested();
    lock.unlock();
    std::vector<LeasePtr> again = send(batch, last_attempt);
    lock.lock();
    if (!again.empty()) {
      pending_.insert(pending_.begin(), again.begin(), again.end());
      ready_.wait_for(lock, stop, options_.retry_pause, [] { return false; });
      oldest_pending_since_ = std::chrono::steady_clock::now() - options_.flush_delay;
    } else if (!pending_.empty()) {
      oldest_pending_since_ = std::chrono::steady_clock::now();
    }
  }
}

std::vector<LeasePtr> AckBatcher::send(const std::vector<LeasePtr>& batch, bool last_attempt) {
  // Leases lost while their ack waited were reported then; they are not sent.
  std::vector<LeasePtr> sendable = book_.begin_ack(batch);
  if (sendable.empty()) return {};
  auto answer = client_.ack(queue_, receipts_of(sendable), contract::within(options_.call_timeout));
  if (!answer) {
    events_.client_error("ack", answer.error());
    if (answer.error().transient() && !last_attempt) {
      book_.end_ack_attempt(sendable);
      return sendable;
    }
    // Given up: not acked, not lost either; the lease runs out and the message comes back.
    for (const LeasePtr& lease : sendable) book_.remove(lease);
    return {};
  }
  std::set<std::string> refused;
  for (const contract::ReceiptFailure& failure : answer->failed) refused.insert(failure.receipt);
  for (const LeasePtr& lease : sendable) {
    if (!book_.remove(lease)) continue;
    if (refused.contains(lease->message.receipt)) {
      events_.lost(lease);
    } else {
      events_.acked(lease);
    }
  }
  return {};
}

}  // namespace queue::worker
