// What the clients of the crash test learned, and the verdict drawn from it.
//
// Every event gets a ticket from one counter shared by all threads, so tickets
// order events as they really happened: a receive takes its ticket before its
// request goes out, an ack after its 2xx came back. "Delivered after the ack" then
// means a receive that *began* after the ack's 2xx had arrived, never one that was
// merely in flight at the same time.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/concurrency/queue_api_client.h"

namespace robustness {

using Ticket = std::uint64_t;

struct CrashCounts {
  std::size_t sends_attempted = 0;        // messages in send requests
  std::size_t sent_ok = 0;                // messages in sends answered 2xx
  std::size_t deliveries = 0;             // messages in receive answers, repeats included
  std::size_t delivered = 0;              // distinct message ids delivered
  std::size_t delivered_unconfirmed = 0;  // distinct ids delivered whose send got no 2xx (allowed)
  std::size_t acked = 0;                  // distinct ids an ack's 2xx covered
  std::size_t redelivered = 0;            // deliveries - delivered
  std::size_t lost = 0;                   // sent_ok ids never delivered
  std::size_t resurrected_after_ack = 0;  // deliveries that began after an ack's 2xx covered the id
};

struct CrashVerdict {
  CrashCounts counts;
  std::vector<std::string> violations;  // each a sentence naming the message
};

class CrashLedger {
 public:
  Ticket ticket() { return next_ticket_++; }

  void attempted(const std::vector<OutgoingMessage>& messages);
  // A send answered 2xx: `ids[i]` is `messages[i]`.
  void sent(const std::vector<OutgoingMessage>& messages, const std::vector<std::string>& ids);
  // A receive that took `issued` before its request went out.
  void received(Ticket issued, const std::vector<Delivery>& deliveries);
  // An ack answered 2xx; takes its ticket now, after the answer. Returns false (and
  // records why) when the answer does not add up.
  bool acked(const std::vector<Delivery>& deliveries, const AckOutcome& outcome);
  // Anything a client saw that the API does not allow (a 500, a malformed 2xx, ...).
  void violation(std::string what);

  CrashVerdict verdict() const;

 private:
  struct Received {
    Ticket issued;
    Delivery delivery;
  };

  std::atomic<Ticket> next_ticket_{1};
  mutable std::mutex mutex_;
  std::set<std::string> attempted_bodies_;
  std::size_t sends_attempted_ = 0;
  std::map<std::string, std::string> confirmed_;  // id -> body, from 2xx sends
  std::vector<Received> received_;
  std::map<std::string, Ticket> acked_at_;  // id -> ticket of the first 2xx ack covering it
  std::vector<std::string> violations_;
};

}  // namespace robustness
