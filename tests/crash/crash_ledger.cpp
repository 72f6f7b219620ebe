#include "tests/crash/crash_ledger.h"

namespace robustness {

void CrashLedger::attempted(const std::vector<OutgoingMessage>& messages) {
  std::lock_guard lock(mutex_);
  sends_attempted_ += messages.size();
  for (const OutgoingMessage& message : messages) attempted_bodies_.insert(message.body);
}

void CrashLedger::sent(const std::vector<OutgoingMessage>& messages, const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto [entry, fresh] = confirmed_.emplace(ids[i], messages[i].body);
    if (!fresh) {
      violations_.push_back("id " + ids[i] + " was answered for two sends: " + entry->second + " and " +
                            messages[i].body);
    }
  }
}

void CrashLedger::received(Ticket issued, const std::vector<Delivery>& deliveries) {
  std::lock_guard lock(mutex_);
  for (const Delivery& delivery : deliveries) received_.push_back({issued, delivery});
}

bool CrashLedger::acked(const std::vector<Delivery>& deliveries, const AckOutcome& outcome) {
  Ticket answered = ticket();
  std::lock_guard lock(mutex_);
  std::size_t refused = 0;
  for (const Delivery& delivery : deliveries) {
    if (outcome.failed.contains(delivery.receipt)) {
      ++refused;
      continue;
    }
    acked_at_.emplace(delivery.id, answered);  // the first ack covering it is the one that counts
  }
  if (refused != outcome.failed.size() || outcome.acked != static_cast<int>(deliveries.size() - refused)) {
    violations_.push_back(
        "an ack of " + std::to_string(deliveries.size()) + " receipts answered acked=" + std::to_string(outcome.acked) +
        " with " + std::to_string(outcome.failed.size()) + " failed, " + std::to_string(refused) + " of them ours");
    return false;
  }
  return true;
}

void CrashLedger::violation(std::string what) {
  std::lock_guard lock(mutex_);
  violations_.push_back(std::move(what));
}

CrashVerdict CrashLedger::verdict() const {
  std::lock_guard lock(mutex_);
  CrashVerdict verdict;
  verdict.violations = violations_;
  CrashCounts& counts = verdict.counts;
  counts.sends_attempted = sends_attempted_;
  counts.sent_ok = confirmed_.size();
  counts.deliveries = received_.size();
  counts.acked = acked_at_.size();

  std::set<std::string> delivered;
  std::set<std::string> unconfirmed;
  for (const auto& [issued, delivery] : received_) {
    delivered.insert(delivery.id);
    auto sent = confirmed_.find(delivery.id);
    if (sent == confirmed_.end()) {
      // A send that got no 2xx may have been stored: fine, if it is one we made.
      unconfirmed.insert(delivery.id);
      if (!attempted_bodies_.contains(delivery.body)) {
        verdict.violations.push_back("message " + delivery.id + " has a body no producer sent: " + delivery.body);
      }
    } else if (sent->second != delivery.body) {
      verdict.violations.push_back("message " + delivery.id + " was sent as " + sent->second + " but delivered as " +
                                   delivery.body);
    }
    auto acked = acked_at_.find(delivery.id);
    if (acked != acked_at_.end() && acked->second < issued) {
      ++counts.resurrected_after_ack;
      verdict.violations.push_back("message " + delivery.id + " (" + delivery.body +
                                   ") was delivered again after its ack was answered 2xx (receive_count " +
                                   std::to_string(delivery.receive_count) + ")");
    }
  }
  for (const auto& [id, body] : confirmed_) {
    if (delivered.contains(id)) continue;
    ++counts.lost;
    verdict.violations.push_back("message " + id + " (" + body + ") was sent with a 2xx but never delivered");
  }
  counts.delivered = delivered.size();
  counts.delivered_unconfirmed = unconfirmed.size();
  counts.redelivered = counts.deliveries - counts.delivered;
  return verdict;
}

}  // namespace robustness
