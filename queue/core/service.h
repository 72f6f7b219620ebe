// QueueService: the queue's semantics behind an asynchronous API. The HTTP layer
// (queue/api) calls it; it drives a Store (queue/storage), or a pool of them, and knows neither HTTP
// nor SQL.
//
// Why one engine thread. Every operation is queued to a single thread that owns
// the Store. The store then needs no locks, its prepared statements and the queue
// attribute cache are thread-private, and "no message is leased twice" follows from
// operations never running concurrently rather than from row locks. (That is within
// one process. A store that several processes share keeps the rules between them
// with its database's own locks, and reports their changes through
// Store::on_external_change so parked receives and cached queues stay current.)
//
// Why group commit. The engine takes ALL operations waiting when it wakes, runs them
// in ONE transaction (each inside a SAVEPOINT, so one failing op does not fail the
// others), commits once (one fsync for the batch) and only then runs the callbacks.
// A callback with success therefore means "durably committed" (with
// Durability::fsync: survives power loss), and under load the cost of an fsync is
// shared by every request that arrived while the previous batch was committing. If
// the commit fails, every operation of the batch is answered `unavailable`.
//
// A pool of engines (QUEUE_DB_POOL_SIZE). Given several stores, the service runs
// one engine per store, each exactly as above, and sends every operation on a queue
// to the engine its NAME hashes to (its home engine), except the consuming ones of
// a standard queue: its receives, acks and visibility changes take turns over all
// engines, so one hot queue uses every connection. Why the rest goes by queue: a
// queue's sends then meet in one engine, so a process's message ids keep send
// order, a FIFO queue's operations keep the order they were posted in, and the
// queue's row is changed by one engine. Read-your-writes and long-poll wake-ups
// still hold for the spread operations, because after each commit, before
// answering, an engine tells the others which queue rows it changed and which
// queues got receivable messages (below). What still crosses engines (a dead-letter move into another
// queue, a redrive, a queue deleted that another names) is kept right by the
// database's locks, as between processes; and after each commit, before answering,
// an engine tells the others what it changed (Engine::share_changes_with), so no
// engine serves a cached queue row that the client already changed through another. Hence
// several stores must all be shared() ones; SQLite runs on exactly one.
//
// Long polling holds no thread: a receive that finds nothing is parked in a registry
// keyed by queue; a commit that may have made messages receivable on that queue, the
// store's next visible_at for it (a delay ending, a lease expiring), its deadline,
// cancel() or shutdown() brings it back.
//
// Who runs a batch. The engine thread, unless it is idle when a light operation
// (a send, receive, ack or visibility change: bounded work) is posted: then the
// posting thread takes the engine's turn lock and runs the batch itself
// (ServiceOptions::callers_run_batches). Waking the engine thread and being woken
// back cost two thread switches per request, about a third of the server's CPU at
// one request per connection (docs/performance.md). Under load the engine thread is
// busy, the lock taken, and posts simply join its next batch as before; heavy work
// (purge, redrive, the retention sweep) always runs on the engine thread. When a
// commit waits for the disk anyway, the hop is cheap beside it and the owner turns
// this off (ServiceOptions::callers_run_batches). The store
// is still used by one thread at a time, the holder of the turn lock.
//
// Threading contract: every public method may be called from any thread and returns
// once the operation is posted, or, when the calling thread ran the batch, answered.
// Callbacks run exactly once, after the commit, on the engine thread or on the
// thread that ran the batch, which may be inside the very call that registered
// them. They must be quick (post to your own executor), must not block on the
// service and must not destroy it; they may call the service again (that call is
// posted, never run inside the batch being answered).
// Calls made after shutdown() began are answered `unavailable` on the caller's thread.
// Calls made before start() wait for it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue/core/clock.h"
#include "queue/core/errors.h"
#include "queue/core/store.h"
#include "queue/core/telemetry.h"
#include "queue/core/types.h"

namespace queue::core {

template <typename T>
using Callback = std::function<void(Result<T>)>;

struct PutQueueResult {
  bool created = false;  // true: 201, false: 200 (updated or unchanged)
  QueueInfo queue;
};

struct ListQueuesRequest {
  std::string prefix;  // "" or a valid name prefix
  int limit = 1000;    // 1..1000
  std::string cursor;  // "" or a next_cursor from a previous page
};

struct QueueList {
  std::vector<std::string> names;          // ascending
  std::optional<std::string> next_cursor;  // opaque; absent on the last page
};

struct SendResult {
  std::vector<std::string> ids;  // same order as the request; a deduplicated send gives the original id
};

struct ReceiveOptions {
  int max = 1;                              // 1..100
  std::optional<int> visibility_timeout_s;  // 0..43200; absent: the queue's
  int wait_ms = 0;                          // 0..20000 long-poll wait
  // 0..100 receipts of this queue to ack before leasing (receive_with_acks only).
  std::vector<std::string> ack = {};
};

struct ReceiptFailure {
  std::string receipt;
  ErrorCode code = ErrorCode::receipt_invalid;
};

struct AckResult {
  std::int64_t acked = 0;
  std::vector<ReceiptFailure> failed;
};

struct ReceiveResult {
  AckResult acks;  // ReceiveOptions::ack, as ack() would have answered them
  std::vector<ReceivedMessage> messages;
};

struct VisibilityResult {
  std::int64_t updated = 0;
  std::vector<ReceiptFailure> failed;
};

struct RedriveRequest {
  std::optional<std::string> to;   // absent: each message's source queue
  std::optional<std::int64_t> max; // 1..10000, default 10000; call again while moved == max
};

struct PurgeResult {
  std::int64_t purged = 0;
};

struct RedriveResult {
  std::int64_t moved = 0;
};

struct PeekRequest {
  PeekState state = PeekState::visible;
  int limit = 10;      // 1..100
  std::string cursor;  // empty: the first page; else a PeekPage::next_cursor of this state
};

struct Health {
  std::uint64_t commits = 0;          // transactions committed since start (all engines)
  std::size_t parked_receives = 0;    // long polls waiting right now (all engines)
};

// One queue as GET /metrics shows it: O(1) to gather (store counts, counters in memory).
struct QueueSnapshot {
  std::string name;
  QueueStats stats;
  QueueCounts counts;
  std::size_t parked_receives = 0;  // long polls waiting on it in this process's engine
};

struct MetricsSnapshot {
  std::vector<QueueSnapshot> queues;  // ascending by name, at most max_queues
  std::size_t total_queues = 0;       // all queues, also those left out
};

struct ServiceOptions {
  // How often the engine deletes messages past retention and expired dedup entries.
  std::int64_t sweep_interval_ms = 1'000;
  // At most this many messages per sweep, so a sweep never stalls the engine for long.
  std::int64_t sweep_batch = 5'000;
  // Queue attributes are cached in the engine. An embedded store sees every change,
  // so its cache lives until this engine changes a queue. With a store shared by
  // several processes (Store::shared()) an entry is re-read after this long (0:
  // never), and dropped at once when the store reports a change made elsewhere; the
  // TTL only bounds staleness should such a report be lost.
  std::int64_t queue_cache_ttl_ms = 5'000;
  // A thread posting a light operation to an idle engine runs the batch itself (see
  // "Who runs a batch"). Off: every batch runs on the engine thread. Turn it off when
  // commits wait for the disk (Durability::fsync) or for a database server's round
  // trips: a web worker then never waits on either (Raptor's routes share those
  // workers), and while the engine thread does, the workers keep reading requests
  // that its next group commit takes together; measured with fsync, that beats
  // running receives on the caller between fsyncs.
  bool callers_run_batches = true;
  // Told each commit's duration and size (null: nobody). Stores report fsyncs to it
  // themselves (the owner hands it to them too).
  std::shared_ptr<StorageObserver> storage_observer;

};

namespace detail {
struct WaitState;
class Inbox;
}  // namespace detail

// Returned by receive(): cancel() when the client went away. Idempotent, thread-safe.
// If the receive is still parked it is answered at once with an empty list; if it
// is already being answered, cancel() changes nothing (any messages it leased
// reappear when their visibility timeout expires: at-least-once holds).
class ReceiveHandle {
 public:
  ReceiveHandle() = default;
  void cancel();

 private:
  friend class QueueService;
  ReceiveHandle(std::shared_ptr<detail::WaitState> state, std::weak_ptr<detail::Inbox> inbox)
      : state_(std::move(state)), inbox_(std::move(inbox)) {}
  std::shared_ptr<detail::WaitState> state_;
  std::weak_ptr<detail::Inbox> inbox_;
};

class Engine;

class QueueService {
 public:
  QueueService(std::unique_ptr<Store> store, std::shared_ptr<const Clock> clock, ServiceOptions options = {});
  // One engine per store. Throws std::invalid_argument when `stores` is empty, or
  // holds several of which one is not shared() (see "A pool of engines").
  QueueService(std::vector<std::unique_ptr<Store>> stores, std::shared_ptr<const Clock> clock,
               ServiceOptions options = {});
  ~QueueService();  // shutdown()
  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  void start();
  // Stops accepting calls, finishes the queued ones, answers parked receives with
  // empty lists, joins the engine threads. Idempotent.
  void shutdown();

  // Creates the queue (created=true) or applies the patch to it. `fifo` is derived
  // from the name: fifo=true on a name without ".fifo" is invalid_request; fifo=false
  // on an existing ".fifo" queue is conflict (a queue never changes kind) and on a
  // new one invalid_request. dead_letter must name an existing queue of the same
  // kind, other than this one (invalid_request).
  void put_queue(std::string name, AttributesPatch patch, Callback<PutQueueResult> done);
  void get_queue(std::string name, Callback<QueueInfo> done);
  void list_queues(ListQueuesRequest request, Callback<QueueList> done);
  // Deleting a queue that is another queue's dead-letter queue is `conflict` (the
  // message names the queue to change first): dead letters are never orphaned silently.
  void delete_queue(std::string name, Callback<Done> done);

  // All or nothing: one invalid message fails the whole batch and enqueues nothing.
  // group_id: required on FIFO queues, invalid_request on standard queues (rather
  // than silently ignored). Body plus attribute keys and values above the queue's
  // max_message_bytes: payload_too_large.
  void send(std::string queue, std::vector<OutgoingMessage> messages, Callback<SendResult> done);
  // options.ack must be empty here: only receive_with_acks can answer their results.
  ReceiveHandle receive(std::string queue, ReceiveOptions options, Callback<std::vector<ReceivedMessage>> done);
  // Acks options.ack as ack() would, then leases, in the same transaction: a consumer
  // needs one call per message, and an acked FIFO head lets the group's next message
  // be leased by this very call. The acks run once, in the first execution, and commit
  // durably (a plain receive commits relaxed); a long poll that then waits still
  // answers them, with whatever it leased (or nothing) when it ends.
  ReceiveHandle receive_with_acks(std::string queue, ReceiveOptions options, Callback<ReceiveResult> done);
  // Per receipt: acked, or failed with receipt_invalid (malformed, stale, already acked).
  void ack(std::string queue, std::vector<std::string> receipts, Callback<AckResult> done);
  void change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                         Callback<VisibilityResult> done);
  void purge(std::string queue, Callback<PurgeResult> done);
  // Moves receivable dead letters of `dead_letter_queue` back (see Store::redrive).
  // `to` must exist and be of the same kind.
  void redrive(std::string dead_letter_queue, RedriveRequest request, Callback<RedriveResult> done);
  void peek(std::string queue, PeekRequest request, Callback<PeekPage> done);
  // One message by id, whatever its state, without changing it (message_not_found
  // once it is acked, expired or moved to another queue).
  void get_message(std::string queue, std::string message_id, Callback<PeekedMessage> done);

  // The first `max_queues` queues by name with their stats, counters and parked
  // polls, and how many queues there are: what GET /metrics shows. O(queues), never a
  // read of messages (stats come from the counts engines keep).
  void snapshot(std::size_t max_queues, Callback<MetricsSnapshot> done);
  // Per-queue counters since start (any thread).
  const QueueCounters& counters() const { return *counters_; }

  // Round trip through every engine and its store: proves all of them answer.
  void check_health(Callback<Health> done);

  // Makes the engine re-read the clock now (timers, parked receives, sweep). Needed
  // after a ManualClock moved; harmless otherwise.
  void nudge();
  std::uint64_t commit_count() const;

 private:
  // The engine of every operation on `queue`. Resolve it into a local before the
  // call that moves the name into the operation (argument order is unspecified).
  Engine& engine_for(std::string_view queue) const;
  ReceiveHandle start_receive(std::string queue, ReceiveOptions options, std::optional<Error> rejection,
                              Callback<ReceiveResult> done);

  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<QueueCounters> counters_ = std::make_shared<QueueCounters>();
  std::vector<std::unique_ptr<Engine>> engines_;  // never empty
  mutable std::atomic<std::size_t> next_engine_{0};  // for operations on no queue in particular
};

}  // namespace queue::core
