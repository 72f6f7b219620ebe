// Store: the storage engine interface. It speaks queue operations, not SQL.
//
// One engine (SQLite today, PostgreSQL next) implements it; QueueService drives it
// from its single engine thread, so an implementation needs no locking of its own
// and may cache prepared statements freely. The service owns the semantics that do
// not need the data (validation, receipts, attribute defaults, long polling); the
// store owns what must be atomic with the data (dedup, leasing, FIFO heads,
// dead-letter moves).
//
// Transactions: the engine runs a whole batch of operations as
//   begin(durable); { savepoint(); op; release_savepoint() | rollback_to_savepoint(); }... commit();
// and answers nobody before commit() returned, so one fsync covers the batch
// (group commit) and one failing op does not undo the others.
//
// begin(false) announces a batch whose loss on power failure is harmless: only
// receives (a lost lease means an earlier redelivery, which at-least-once allows),
// reads and retention sweeps (they run again). The engine may then skip the flush
// (SQLite: synchronous=NORMAL for that commit; PostgreSQL: SET LOCAL
// synchronous_commit = off). The next durable commit flushes everything before it,
// so no durable change ever depends on a lost one.
//
// Errors: methods return semantic outcomes as values (a stale lease is `false`, a
// duplicate send returns the original id) and throw StoreError only when the
// database itself fails. `unavailable` means "try again later" (disk full, lost
// connection, busy); `internal` means a bug or corruption.
//
// Time: every method that depends on time takes `now_ms` from the service's Clock;
// a store never reads a clock of its own.
//
// FIFO model the engines share: within a (queue, group) exactly one message is the
// group's *head*; only heads are receivable. A head leaves by ack, dead-letter move,
// redrive or retention, and the store then promotes the group's next message in
// send order. So "one in flight per group" and "strict order" need no scan.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "queue/core/errors.h"
#include "queue/core/telemetry.h"
#include "queue/core/types.h"

namespace queue::core {

class StoreError : public std::runtime_error {
 public:
  StoreError(ErrorCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// A queue as stored. `id` is the engine's key, never reused, never shown to users.
struct QueueRecord {
  std::int64_t id = 0;
  std::string name;
  QueueAttributes attributes;
  std::int64_t created_at_ms = 0;
};

// A validated message ready to insert.
struct NewMessage {
  std::string body;
  MessageAttributes attributes;
  std::optional<std::string> group_id;  // FIFO queues only
  std::optional<std::string> dedup_id;
  std::int64_t visible_at_ms = 0;       // now + delay
};

// Where a message goes instead of its (max_receives+1)-th delivery.
struct DeadLetterTarget {
  std::int64_t queue_id = 0;
  int max_receives = 0;
};

struct LeaseRequest {
  int max = 1;                          // 1..100 messages
  std::int64_t lease_until_ms = 0;      // now + visibility timeout
  std::int64_t now_ms = 0;
  std::int64_t sent_after_ms = 0;       // retention: never deliver a message sent before this
  std::optional<DeadLetterTarget> dead_letter;
};

// One lease granted by receive(). lease_token is the secret half of the receipt.
struct LeasedMessage {
  std::int64_t id = 0;
  std::string body;
  MessageAttributes attributes;
  std::uint64_t lease_token = 0;
  int receive_count = 0;                // including this delivery
  std::int64_t sent_at_ms = 0;
  std::optional<std::string> group_id;
};

struct LeaseOutcome {
  std::vector<LeasedMessage> delivered;
  std::int64_t dead_lettered = 0;       // moved to the dead-letter queue instead of delivered
};

// A receipt decoded by the service: which message, which lease.
struct LeaseRef {
  std::int64_t message_id = 0;
  std::uint64_t lease_token = 0;
};

// One lease's new end (change_visibility_many): each may differ, since the
// visibility changes of several requests share one call.
struct VisibilityChange {
  LeaseRef lease;
  std::int64_t visible_at_ms = 0;
};

struct StoredMessage {
  std::int64_t id = 0;
  std::string body;
  MessageAttributes attributes;
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
  std::int64_t visible_at_ms = 0;
  std::optional<std::string> group_id;
};

// Where a peek page ended: the last message's time in its state's order and its id.
struct PeekCursor {
  std::int64_t at_ms = 0;
  std::int64_t id = 0;
};

struct FoundMessage {
  StoredMessage message;
  PeekState state = PeekState::visible;
};

// A change another process made to the shared database (Store::on_external_change).
struct ExternalChange {
  enum class Kind {
    messages,  // messages of `queue_id` may have become receivable (send, release, FIFO head promoted)
    queue,     // the queue's attributes changed, or it was deleted
    unknown,   // changes may have gone unheard (the store lost its connection): assume anything changed
  };
  Kind kind = Kind::unknown;
  std::int64_t queue_id = 0;
};

// Generates lease tokens (unguessable, never 0). The service passes its own so every
// engine's receipts are equally hard to forge.
using LeaseTokenSource = std::function<std::uint64_t()>;

class Store {
 public:
  virtual ~Store() = default;

  // --- transactions (see the top of this file) ---
  virtual void begin(bool durable) = 0;
  virtual void commit() = 0;  // durable when it returns (per the store's Durability)
  virtual void rollback() noexcept = 0;
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  // --- queues ---
  virtual std::optional<QueueRecord> find_queue(std::string_view name) = 0;
  virtual QueueRecord create_queue(std::string_view name, const QueueAttributes& attributes,
                                   std::int64_t now_ms) = 0;
  virtual void update_queue(std::int64_t queue_id, const QueueAttributes& attributes) = 0;
  // Names > `after` starting with `prefix`, ascending, at most `limit`.
  virtual std::vector<std::string> list_queues(std::string_view prefix, std::string_view after,
                                               std::size_t limit) = 0;
  // Names of queues whose dead_letter policy points at `name` (at most `limit`).
  virtual std::vector<std::string> queues_using_dead_letter(std::string_view name, std::size_t limit) = 0;
  // Deletes the queue, its messages and its dedup entries.
  virtual void delete_queue(std::int64_t queue_id) = 0;

  // --- messages ---
  // Inserts in order; a message whose dedup_id was recorded for this queue and has
  // not expired (also earlier in the same batch) is not inserted and yields the
  // original id. New dedup_ids are recorded until now + dedup_window_s.
  virtual std::vector<std::int64_t> send(const QueueRecord& queue, std::span<const NewMessage> messages,
                                         std::int64_t now_ms) = 0;
  // Leases up to `max` receivable messages (FIFO: group heads) in order, each with a
  // fresh token from `tokens`; a message already delivered max_receives times moves
  // to the dead-letter queue instead (remembering `queue` as its source).
  virtual LeaseOutcome receive(const QueueRecord& queue, const LeaseRequest& request,
                               const LeaseTokenSource& tokens) = 0;
  // Deletes the message if `lease` is its current, unexpired lease. false: stale.
  virtual bool ack(std::int64_t queue_id, const LeaseRef& lease, std::int64_t now_ms) = 0;
  // Moves the lease's expiry to `visible_at_ms` if `lease` is current; visible_at_ms
  // == now_ms releases the message at once (the receipt is then stale). false: stale.
  virtual bool change_visibility(std::int64_t queue_id, const LeaseRef& lease, std::int64_t visible_at_ms,
                                 std::int64_t now_ms) = 0;
  virtual std::int64_t purge(std::int64_t queue_id) = 0;
  // Moves up to `max` receivable dead letters out of `dead_letter_queue`, oldest first,
  // to `to` or else to the queue each came from (those whose source no longer exists
  // stay). Moved messages are visible at once with receive_count 0. Returns the count.
  virtual std::int64_t redrive(const QueueRecord& dead_letter_queue, const std::optional<QueueRecord>& to,
                               std::int64_t max, std::int64_t now_ms) = 0;
  // Up to `limit` messages in `state`, in the state's order (visible: sent_at, id;
  // in flight and delayed: visible_at, id), starting after `after` when given.
  virtual std::vector<StoredMessage> peek(std::int64_t queue_id, PeekState state, std::size_t limit,
                                          std::int64_t now_ms, const std::optional<PeekCursor>& after) = 0;
  // The message if it is in the queue, with its state as peek would show it.
  virtual std::optional<FoundMessage> find_message(std::int64_t queue_id, std::int64_t message_id,
                                                   std::int64_t now_ms) = 0;
  virtual QueueStats stats(std::int64_t queue_id, std::int64_t now_ms) = 0;

  // --- time-driven ---
  // Deletes up to `limit` messages past their queue's retention and expired dedup
  // entries. Returns the number of messages deleted (== limit: call again soon).
  virtual std::int64_t expire(std::int64_t now_ms, std::int64_t limit) = 0;
  // The earliest visible_at > now_ms among the queue's receivable messages (delayed
  // or leased heads): when a parked receive on it should look again.
  virtual std::optional<std::int64_t> next_visible_at(std::int64_t queue_id, std::int64_t now_ms) = 0;

  // --- batches: one round trip for a whole request ---
  // The same outcome as ack() / change_visibility() called for each lease (change)
  // in order; one result per lease. Engines that pay a round trip per statement
  // (PostgreSQL) override these; the defaults call the single versions.
  virtual std::vector<bool> ack_many(std::int64_t queue_id, std::span<const LeaseRef> leases, std::int64_t now_ms);
  virtual std::vector<bool> change_visibility_many(std::int64_t queue_id, std::span<const VisibilityChange> changes,
                                                   std::int64_t now_ms);
  // Several receives of one queue at once (the waiting requests of one batch): the
  // same as receive() for each request in order, so each message goes to exactly
  // one request and earlier requests are filled first. Requests share the queue's
  // now_ms, sent_after_ms and dead_letter; max and lease_until_ms may differ. One
  // outcome per request.
  virtual std::vector<LeaseOutcome> receive_many(const QueueRecord& queue, std::span<const LeaseRequest> requests,
                                                 const LeaseTokenSource& tokens);

  // --- telemetry (telemetry.h) ---
  // How many sends this store answered with an earlier message's id since it was
  // opened (a running total; the service counts per queue from the difference
  // around each send). Engines that do not count return 0.
  virtual std::uint64_t deduplicated_count() const { return 0; }
  // Where to report fsync timings (null: nowhere). Engines that do not flush
  // themselves (their database does) ignore it.
  virtual void observe(std::shared_ptr<StorageObserver> observer) { (void)observer; }

  // --- several processes on one database ---
  // True for engines other processes write to as well (PostgreSQL): the engine then
  // re-reads cached queue rows after ServiceOptions::queue_cache_ttl_ms, and relies
  // on on_external_change to hear of changes sooner.
  virtual bool shared() const { return false; }
  // A shared engine reports changes made by other processes by calling `notify`
  // from any thread (after they committed). An embedded engine sees every change
  // itself and ignores this.
  virtual void on_external_change(std::function<void(const ExternalChange&)> notify) { (void)notify; }
};

}  // namespace queue::core
