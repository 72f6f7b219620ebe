// The shared engine: core::Store over PostgreSQL, for several Queue processes on
// one database (schema.h has the tables).
//
// One store, one engine thread, one connection (the service's engine runs every
// operation on one thread, see service.h). A process may run a pool of them
// (QUEUE_DB_POOL_SIZE, open.h): queues are spread over the engines by name, so
// the engines overlap their round trips and commits, while each still batches
// whatever arrived for its queues meanwhile into one transaction. To the database
// each store of a pool is one more process. What makes one connection fast is fewer round trips:
// every statement is prepared once, every operation on a batch of messages is ONE
// statement over arrays (unnest), and the transaction and savepoint bookkeeping
// rides along with the next statement in one pipelined round trip instead of costing
// round trips of its own. So does a plain send (no FIFO, no dedup id): its ids come
// from a block this store reserved from the sequence beforehand, so its answer is
// known before the INSERT runs, and a batch of sends costs one round trip, the
// COMMIT's. Should such a deferred INSERT fail (its queue deleted meanwhile), the
// whole batch fails and is rolled back: an answered operation is never undone alone.
//
// What keeps the rules when several processes share the queues:
//   - no message leased twice: receive picks with FOR UPDATE SKIP LOCKED and a
//     lease is only granted where visible_at <= now, re-checked on the locked row;
//   - FIFO: every change to a group's head (send into it, ack, dead-letter move,
//     redrive, retention) holds a transaction advisory lock on (queue, group), and
//     decides in a statement that starts after the lock was granted, so it sees
//     every earlier change to the group: one head per group, in id order;
//   - a send (or move) into a queue holds FOR KEY SHARE on the queue's row, which
//     deleting the queue (FOR UPDATE) must wait for: no message outlives its queue;
//   - dedup: the (queue, dedup_id) primary key; INSERT ... ON CONFLICT waits for a
//     concurrent sender of the same id and then returns its message id;
//   - receipts: an ack or visibility change matches (id, queue, lease token) on a
//     lease that has not expired, so only the current lease holder succeeds.
//
// Other processes learn of changes through NOTIFY (listener.h), sent after commit
// in a transaction of its own. The connection's synchronous_commit is off by
// default; a durable batch turns it on for itself (SET LOCAL), so a 2xx on a send
// means the commit is on the server's disk.
//
// Outage: any failure of the connection surfaces as StoreError(unavailable), so the
// batch is answered 503; the next batch reconnects (at most every
// reconnect_interval), and the listener reconnects on its own and then tells the
// engine to re-read everything it may have missed.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "queue/core/store.h"
#include "queue/storage/open.h"
#include "queue/storage/postgres/listener.h"
#include "queue/storage/postgres/session.h"

namespace queue::storage::postgres {

// The statement behind PostgresStore::stats ($1 queue id, $2 now): tests EXPLAIN
// it to prove it reads no backlog.
extern const char* const stats_sql;

class PostgresStore final : public core::Store {
 public:
  // Connects and migrates. Throws std::runtime_error (see open.h).
  PostgresStore(const std::string& url, Durability durability);
  ~PostgresStore() override;

  void begin(bool durable) override;
  void commit() override;
  void rollback() noexcept override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  std::optional<core::QueueRecord> find_queue(std::string_view name) override;
  core::QueueRecord create_queue(std::string_view name, const core::QueueAttributes& attributes,
                                 std::int64_t now_ms) override;
  void update_queue(std::int64_t queue_id, const core::QueueAttributes& attributes) override;
  std::vector<std::string> list_queues(std::string_view prefix, std::string_view after, std::size_t limit) override;
  std::vector<std::string> queues_using_dead_letter(std::string_view name, std::size_t limit) override;
  void delete_queue(std::int64_t queue_id) override;

  std::vector<std::int64_t> send(const core::QueueRecord& queue, std::span<const core::NewMessage> messages,
                                 std::int64_t now_ms) override;
  core::LeaseOutcome receive(const core::QueueRecord& queue, const core::LeaseRequest& request,
                             const core::LeaseTokenSource& tokens) override;
  std::vector<core::LeaseOutcome> receive_many(const core::QueueRecord& queue,
                                               std::span<const core::LeaseRequest> requests,
                                               const core::LeaseTokenSource& tokens) override;
  bool ack(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t now_ms) override;
  bool change_visibility(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t visible_at_ms,
                         std::int64_t now_ms) override;
  std::vector<bool> ack_many(std::int64_t queue_id, std::span<const core::LeaseRef> leases,
                             std::int64_t now_ms) override;
  std::vector<bool> change_visibility_many(std::int64_t queue_id, std::span<const core::VisibilityChange> changes,
                                           std::int64_t now_ms) override;
  std::int64_t purge(std::int64_t queue_id) override;
  std::int64_t redrive(const core::QueueRecord& dead_letter_queue, const std::optional<core::QueueRecord>& to,
                       std::int64_t max, std::int64_t now_ms) override;
  std::vector<core::StoredMessage> peek(std::int64_t queue_id, core::PeekState state, std::size_t limit,
                                        std::int64_t now_ms, const std::optional<core::PeekCursor>& after) override;
  std::optional<core::FoundMessage> find_message(std::int64_t queue_id, std::int64_t message_id,
                                                 std::int64_t now_ms) override;
  core::QueueStats stats(std::int64_t queue_id, std::int64_t now_ms) override;
  std::int64_t expire(std::int64_t now_ms, std::int64_t limit) override;
  std::optional<std::int64_t> next_visible_at(std::int64_t queue_id, std::int64_t now_ms) override;

  std::uint64_t deduplicated_count() const override { return deduplicated_; }

  bool shared() const override { return true; }
  // This store's round trips to the server so far (Session::round_trips).
  std::uint64_t round_trips() const { return session_.round_trips(); }
  void on_external_change(std::function<void(const core::ExternalChange&)> notify) override;

 private:
  // Statements run through here so the deferred statements go first. `first` run
  // before `sql` in the same round trip: statements whose results decide nothing
  // here (the locks below), so they cost no round trip of their own. Should one of
  // them fail, `sql` does not run and this throws as if `sql` had failed.
  Rows run(std::string_view sql, const Params& params = {}, std::vector<Statement> first = {});
  // Queues a write whose result nobody waits for; it runs with the next statement.
  void defer(std::string_view sql, Params params);
  // The deferred statements, then `then`, in one round trip; every statement's rows.
  std::vector<Rows> flush(std::vector<Statement> then, int* completed = nullptr);
  void open_pending_savepoint();
  // Message ids for a plain send, ascending, from blocks reserved from the sequence.
  std::vector<std::int64_t> take_message_ids(std::size_t count);
  void connect_if_needed();

  // FIFO and queue-existence locks (see the top of this file), as statements to run
  // `first`: the statement they guard starts after they were granted, so it sees
  // every change made under them before. Their rows are not read: the guarded
  // statement finds a queue deleted meanwhile by itself.
  static Statement lock_queue_and_groups(std::int64_t queue_id, std::span<const std::optional<std::string>> groups);
  static Statement lock_groups_of(std::int64_t queue_id, std::string_view message_id_array);
  static Statement lock_queue_exclusively(std::int64_t queue_id);

  struct Movable {
    std::int64_t id = 0;
    std::optional<std::string> group_id;
  };
  // Moves messages (heads of their groups, if FIFO) from `from` into `to`, receivable
  // at now_ms; promotes the next head of each group they leave. Returns how many moved.
  std::int64_t move_messages(const core::QueueRecord& from, std::int64_t to_id, bool to_fifo,
                             std::span<const Movable> messages, std::optional<std::int64_t> source_queue_id,
                             bool reset_receive_count, std::int64_t now_ms);
  std::int64_t expire_queue(std::int64_t queue_id, bool fifo, std::int64_t cutoff_ms, std::int64_t limit);
  // Sums the committed queue_count_deltas into queue_counts and deletes them (the
  // sweep calls it): what stats reads stays a few rows per queue.
  void fold_counts();

  // Whether a queue is FIFO (fixed at creation; ids are never reused, so it may be
  // remembered forever). Spares standard queues the FIFO lock statement on ack.
  bool is_fifo(std::int64_t queue_id);

  // Queues this store has looked at. A receive waiting on a queue is parked on the
  // engine whose store ran it, so only these queues' message notifications concern
  // this store: the others would wake its engine (and in a pool, every engine) for
  // nothing after each commit of every other store and process.
  void note_served(std::int64_t queue_id);
  bool serves(std::int64_t queue_id) const;

  void note_messages(std::int64_t queue_id) { notify_messages_.insert(queue_id); }
  void note_queue(std::int64_t queue_id) { notify_queues_.insert(queue_id); }
  std::vector<Statement> notify_statements() const;

  std::string url_;
  Durability durability_;
  Session session_;
  std::string channel_;  // per schema, so tests in separate schemas do not wake each other
  std::atomic<int> backend_pid_{0};

  // Transaction bookkeeping and plain sends deferred to the next statement (one round
  // trip for all).
  std::vector<Statement> deferred_;
  int deferred_writes_ = 0;  // deferred sends among them
  bool poisoned_ = false;    // a deferred send failed: the batch must not commit
  bool in_transaction_ = false;
  bool savepoint_pending_ = false;  // savepoint() called, not sent yet
  bool savepoint_open_ = false;     // sent and not released

  std::set<std::int64_t> notify_messages_;  // queues to NOTIFY about after commit
  std::set<std::int64_t> notify_queues_;

  std::uint64_t deduplicated_ = 0;  // sends answered with an earlier id (deduplicated_count)
  std::map<std::int64_t, bool> fifo_by_queue_;
  std::deque<std::int64_t> reserved_ids_;  // drawn from queue_messages_id_seq, not used yet
  std::chrono::steady_clock::time_point next_reconnect_{};
  mutable std::mutex served_mutex_;  // the engine thread writes, the listener thread reads
  std::set<std::int64_t> served_;
  std::unique_ptr<ListenerHub::Subscription> listening_;
};

}  // namespace queue::storage::postgres
