// Acks of one queue in one batch share one store call (Store::ack_many), so an
// engine that pays a statement per call (PostgreSQL) deletes them all with one
// DELETE ... = ANY: the plain acks and the acks a receive carries alike.
//
// Before a batch runs, each op that will ack announces its receipts. The first of a
// queue's ackers to run acks its own receipts first, then every other announced
// acker's of that queue, in batch order (so of two identical receipts the earlier
// wins, as one by one), and keeps the others' results until they run. An ack only
// fails before its store call (queue not found), never after, so no op's savepoint
// can undo a result kept for another. Internal to queue/core.
#pragma once

#include <cstdint>
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

class AckSharing {
 public:
  using Receipts = std::vector<std::string>;  // an acker's receipts; their address is its key

  void announce(const Receipts* receipts, std::string queue_name);
  // One result per lease of decode_receipts(*receipts), as Store::ack_many gives.
  std::vector<bool> take(Store& store, const Receipts* receipts, const QueueRecord& queue,
                         std::span<const LeaseRef> mine, std::int64_t now_ms);

 private:
  struct Announced {
    const Receipts* receipts;
    std::string queue_name;
  };
  std::vector<Announced> announced_;
  std::map<const Receipts*, std::vector<bool>> results_;
};

}  // namespace queue::core
