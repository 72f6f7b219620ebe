// The engine: one thread that owns the Store and runs every operation, in batches,
// one transaction per batch (group commit). See service.h for why, and for when a
// posting thread runs a turn in the engine thread's place ("Who runs a batch").
// Whoever runs a turn holds turn_mutex_, which guards everything marked "turn only".
//
// One turn of the loop:
//   1. wait until an operation is posted, a timer is due (long-poll deadline, a
//      queue's next visible_at, the retention sweep), someone nudges, or a shared
//      store reports another process's change (its queues look again; cached
//      queue rows are dropped);
//   2. answer parked receives that timed out or were cancelled (empty lists);
//   3. build the batch: the sweep if due, parked receives whose queue changed or
//      whose next visible_at passed (first, so long waiters are served first), then
//      everything posted;
//   4. begin; each op in its own savepoint; commit (one fsync);
//   5. park receives that found nothing and may still wait; after releasing the
//      turn lock, answer the rest;
//   6. ask the store when each queue with parked receives next has a message
//      becoming visible, for step 1.
// Internal to queue/core.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "queue/core/clock.h"
#include "queue/core/operation.h"
#include "queue/core/queue_cache.h"
#include "queue/core/receipts.h"
#include "queue/core/service.h"
#include "queue/core/store.h"
#include "queue/core/waiters.h"

namespace queue::core {

namespace detail {

// Where callers leave operations for the engine thread. Shared (via weak_ptr) with
// ReceiveHandles so a handle outliving the service is harmless.
class Inbox {
 public:
  // Takes `op` and returns true, or leaves it alone and returns false once closed
  // (shutdown began): the caller then answers it itself. `notify`: wake the engine
  // thread (false when the caller means to run the turn itself). `engine_only`: a
  // posting thread must not run it (see Engine::caller_may_run).
  bool post(std::unique_ptr<Operation>& op, bool notify, bool engine_only);
  // Wakes the engine thread for a turn even if nothing is posted.
  void wake();
  // Wakes the engine thread if anything is posted.
  void notify_if_posted();
  void close();
  // A change another process made (Store::on_external_change), from any thread.
  void external_change(const ExternalChange& change);

  struct Taken {
    std::vector<std::unique_ptr<Operation>> ops;
    bool closed = false;
    // External changes heard since the last take.
    std::set<std::int64_t> touched;  // their parked receives look again
    bool touched_all = false;
    bool queues_changed = false;     // cached queue rows may be stale
  };
  // Engine thread: waits at most `timeout_ms` (0: don't wait) for work or a wake.
  void wait(std::int64_t timeout_ms);
  // Whoever runs the turn: everything posted and heard so far.
  Taken take();
  // A posting thread's take: the same, unless nothing is posted or something posted
  // is engine_only (then nothing is taken). One lock for the check and the take.
  std::optional<Taken> take_for_caller();

 private:
  Taken take_locked();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::unique_ptr<Operation>> ops_;
  std::set<std::int64_t> touched_;
  bool touched_all_ = false;
  bool queues_changed_ = false;
  std::size_t engine_only_posted_ = 0;
  bool woken_ = false;
  bool closed_ = false;
};

}  // namespace detail

class Engine {
 public:
  Engine(std::unique_ptr<Store> store, std::shared_ptr<const Clock> clock, ServiceOptions options);
  ~Engine();

  void start();
  void shutdown();

  // Any thread. Returns false after shutdown began. May run the batch on this
  // thread, and so answer `op` before returning (ServiceOptions::callers_run_batches).
  bool post(std::unique_ptr<Operation>& op);
  void nudge() { inbox_->wake(); }
  const std::shared_ptr<detail::Inbox>& inbox() const { return inbox_; }
  // The other engines of a pool (service.h). After each commit this engine tells
  // them, before answering, what it changed, so a client never reads through one
  // engine a queue row it changed through another (NOTIFY would come too, later).
  // Call before start().
  void share_changes_with(std::vector<std::weak_ptr<detail::Inbox>> peers) { peers_ = std::move(peers); }

  // Where committed operations' counts go (service.h). Call before start().
  void count_into(std::shared_ptr<QueueCounters> counters) { counters_ = std::move(counters); }

  std::uint64_t commit_count() const { return commits_.load(std::memory_order_relaxed); }
  // Turn only (from inside an operation).
  std::size_t parked_count() const { return parked_.size(); }

 private:
  using Ops = std::vector<std::unique_ptr<Operation>>;
  // Operations to call back once the turn lock is released: a thread woken by a
  // callback then finds the engine idle and runs its next request itself.
  struct Answer {
    std::unique_ptr<Operation> op;
    bool empty = false;  // a receive that would have parked but was cancelled
  };
  using Answers = std::vector<Answer>;

  void run();
  // One turn (steps 2 to 6 above) over what was taken from the inbox. Turn only.
  Answers run_turn(detail::Inbox::Taken taken, bool may_sweep);
  // Calls back, outside the turn lock (but marked as the engine's, so a callback
  // calling the service again only posts).
  void deliver(Answers answers);
  // Whether a posting thread may run `op` (ServiceOptions::callers_run_batches; only
  // light operations).
  bool caller_may_run(const Operation& op) const;
  // Turns on a posting thread while the engine is idle and only light work waits
  // (after its own op, what was posted meanwhile, up to max_caller_turns).
  void run_turn_here();
  std::int64_t wait_budget_ms(std::int64_t now_ms) const;
  Ops collect_batch(std::int64_t now_ms, Ops posted, bool may_sweep);
  Answers run_batch(Ops ops, std::int64_t now_ms);
  bool run_in_savepoint(Operation& op, EngineContext& context);
  void tell_peers(const EngineContext& context);
  void apply_counts(const EngineContext& context);
  // Parks the receives that wait on; returns the rest to call back.
  Answers answer(Ops ops, bool committed, const EngineContext& context);
  void refresh_next_visible(std::int64_t now_ms);
  std::unique_ptr<Operation> make_sweep();

  std::unique_ptr<Store> store_;
  std::shared_ptr<const Clock> clock_;
  ServiceOptions options_;
  std::shared_ptr<detail::Inbox> inbox_ = std::make_shared<detail::Inbox>();
  std::vector<std::weak_ptr<detail::Inbox>> peers_;
  std::shared_ptr<QueueCounters> counters_;

  // Held by whoever runs a turn: the engine thread or a posting thread.
  std::mutex turn_mutex_;
  // Turn only.
  QueueCache queues_;
  LeaseTokenGenerator tokens_;
  ParkedReceives parked_;
  std::set<std::int64_t> touched_;  // by the last commit: their parked receives look again
  bool touched_all_ = false;
  std::int64_t next_sweep_ms_ = 0;

  std::atomic<std::uint64_t> commits_{0};
  std::mutex lifecycle_mutex_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace queue::core
