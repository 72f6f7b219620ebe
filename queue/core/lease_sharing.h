// Receives of one queue in one batch share one store call (Store::receive_many), so
// an engine that pays a statement per call (PostgreSQL) leases for all of them with
// one SKIP LOCKED statement.
//
// Before a batch runs, each receive in it announces what it wants. The first of a
// queue's receives to run leases for itself first and then for every receive of
// that queue announced and not yet served, and keeps the others' shares until they
// run: each message goes to exactly one receive. A share nobody claims (its client
// went away meanwhile, or its receive failed first) is released before the commit,
// so its messages are receivable again at once. Internal to queue/core.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "queue/core/store.h"

namespace queue::core {

// What one receive asks of its queue; the queue's row turns it into a LeaseRequest.
struct LeaseWish {
  int max = 1;
  std::optional<int> visibility_timeout_s;
  const std::atomic<bool>* cancelled = nullptr;  // a cancelled receive is not served
};

class LeaseSharing {
 public:
  using Key = const void*;  // the receive: one share per receive
  using BuildRequest = std::function<LeaseRequest(const LeaseWish&)>;

  void announce(Key key, std::string queue_name, LeaseWish wish);
  // Whether a share was leased for `key` by an earlier receive of this batch.
  bool holds_share(Key key) const { return shares_.contains(key); }
  // `key`'s messages from `queue`: its share if one was leased for it, else one
  // store call for it (first) and for every other announced receive of the queue.
  LeaseOutcome take(Store& store, Key key, const QueueRecord& queue, const LeaseWish& wish,
                    const BuildRequest& build, const LeaseTokenSource& tokens);
  // Releases the leases of shares nobody took; returns their queues (now receivable).
  std::vector<std::int64_t> release_unclaimed(Store& store, std::int64_t now_ms);

 private:
  struct Announced {
    Key key;
    std::string queue_name;
    LeaseWish wish;
  };
  struct Share {
    std::int64_t queue_id = 0;
    LeaseOutcome outcome;
  };
  std::vector<Announced> announced_;
  std::map<Key, Share> shares_;
};

}  // namespace queue::core
