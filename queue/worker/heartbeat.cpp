#include "queue/worker/heartbeat.h"

#include <map>
#include <set>
#include <utility>

#include "queue/worker/batches.h"

namespace queue::worker {

Heartbeat::Heartbeat(contract::QueueClient& client, std::string queue, LeaseBook& book, const Clock& clock,
                     HeartbeatOptions options, LeaseEvents events)
    : client_(client), queue_(std::move(queue)), book_(book), clock_(clock), options_(options),
      events_(std::move(events)) {}

Heartbeat::~Heartbeat() { stop(); }

void Heartbeat::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      tick();
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, options_.interval, [] { return false; });
    }
  });
}

void Heartbeat::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void Heartbeat::tick() {
  const Clock::time_point now = clock_.now();
  LeaseBook::Round round = book_.heartbeat(now, options_.extend_when_remaining);
  for (const LeasePtr& lease : round.expired) events_.lost(lease);
  for (const LeasePtr& lease : round.timed_out) lease->cancel(StopReason::timeout);
  extend(round.to_extend, now);
}

void Heartbeat::extend(const std::vector<LeasePtr>& leases, Clock::time_point now) {
  // One call extends every receipt by the same timeout: group by the timeout asked.
  std::map<int, std::vector<LeasePtr>> by_timeout;
  for (const LeasePtr& lease : leases) by_timeout[lease->visibility_timeout_s].push_back(lease);

  for (const auto& [timeout_s, group] : by_timeout) {
    // Counted from before the call is sent: the queue's lease can only end later.
    const Clock::time_point new_expiry = now + std::chrono::seconds(timeout_s);
    for_each_chunk(group, max_receipts_per_call, [&](std::span<const LeasePtr> chunk) {
      auto answer = client_.change_visibility(queue_, receipts_of(chunk), timeout_s,
                                              contract::within(options_.call_timeout));
      if (!answer) {
        // Nothing known: the next tick tries again, until the expiry says it is lost.
        events_.client_error("change_visibility", answer.error());
        return;
      }
      std::set<std::string> refused;
      for (const contract::ReceiptFailure& failure : answer->failed) refused.insert(failure.receipt);
      // A lease settled while this call was out (acked, handed back) is no longer
      // held: the book ignores the extension. One race remains, harmless: an
      // extension landing just after a retry's change_visibility makes that message
      // wait a full visibility timeout instead of its backoff delay.
      for (const LeasePtr& lease : chunk) {
        if (!refused.contains(lease->message.receipt)) {
          book_.extended(lease, new_expiry);
        } else if (book_.extension_refused(lease)) {
          events_.lost(lease);
        }
      }
    });
  }
}

}  // namespace queue::worker
