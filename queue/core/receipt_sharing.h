// Receipts of one queue in one batch share one store call per kind: all its acks
// one Store::ack_many, all its visibility changes one Store::change_visibility_many,
// so an engine that pays a statement per call (PostgreSQL) deletes them with one
// DELETE ... = ANY and moves their lease ends with one UPDATE ... FROM unnest. The
// plain acks and the acks a receive carries share alike.
//
// Before a batch runs, each op that will use receipts announces them (and, for a
// visibility change, the lease end it asks for). The first of a queue's announced
// ops of a kind to run applies its own receipts first, then every other announced
// op's of that queue, in batch order (so of two identical receipts the earlier
// acts first, as one by one), and keeps the others' results until they run. The
// ops of a batch are all in flight together (none is answered before the commit),
// so doing the later ones at the first one's turn is an order they could have run
// in. Such an op only fails before its store call (queue not found), never after,
// so no op's savepoint can undo a result kept for another. Internal to queue/core.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "queue/core/store.h"

namespace queue::core {

// The well-formed receipts of a request, decoded, and where each stood in it.
struct DecodedReceipts {
  std::vector<LeaseRef> leases;
  std::vector<std::size_t> positions;
};
DecodedReceipts decode_receipts(const std::vector<std::string>& receipts);

class ReceiptSharing {
 public:
  using Receipts = std::vector<std::string>;  // an op's receipts; their address is its key
  // The store call for one queue: one result per change, in order. An ack ignores
  // visible_at_ms.
  using Apply = std::function<std::vector<bool>(std::span<const VisibilityChange>)>;

  void announce(const Receipts* receipts, std::string queue_name, std::int64_t visible_at_ms = 0);
  // One result per lease of decode_receipts(*receipts) (`mine`): kept from an
  // earlier op's call, or from one `apply` for this op and every other announced
  // op of the queue.
  std::vector<bool> take(const Receipts* receipts, const std::string& queue_name, std::span<const LeaseRef> mine,
                         std::int64_t visible_at_ms, const Apply& apply);

 private:
  struct Announced {
    const Receipts* receipts;
    std::string queue_name;
    std::int64_t visible_at_ms;
  };
  std::vector<Announced> announced_;
  std::map<const Receipts*, std::vector<bool>> results_;
};

}  // namespace queue::core
