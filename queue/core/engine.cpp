#include "queue/core/engine.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "common/log.h"

namespace queue::core {
namespace {

// Even with no timer due the engine looks at the clock this often, so a missed
// wake-up can never stall a long poll for longer.
constexpr std::int64_t max_sleep_ms = 1'000;

// A posting thread runs at most this many turns in a row (its own, then what was
// posted meanwhile) before leaving the rest to the engine thread: its own
// connections wait while it runs them.
constexpr int max_caller_turns = 4;

// Callbacks belong to the caller; one that throws must not take the engine down.
template <typename Action>
void guarded(Action&& action) {
  try {
    action();
  } catch (const std::exception& e) {
    common::log::error("queue callback threw", {{"error", e.what()}});
  } catch (...) {
    common::log::error("queue callback threw", {{"error", "unknown exception"}});
  }
}

// What a client may read of a storage failure: a semantic outcome a shared store
// detected (a queue deleted or created by another process meanwhile) in the store's
// words; anything else without the database's details.
std::string client_message(const StoreError& error) {
  switch (error.code()) {
    case ErrorCode::queue_not_found:
    case ErrorCode::conflict:
      return error.what();
    case ErrorCode::unavailable:
      return "storage is unavailable, try again later";
    default:
      return "internal storage error";
  }
}

// The engine whose turn this thread is running, if any: an operation posted from
// inside a turn (a callback calling the service again) joins a later batch instead
// of starting a turn within the turn.
thread_local const Engine* turn_on_this_thread = nullptr;

class TurnOnThisThread {
 public:
  explicit TurnOnThisThread(const Engine* engine) { turn_on_this_thread = engine; }
  ~TurnOnThisThread() { turn_on_this_thread = nullptr; }
  TurnOnThisThread(const TurnOnThisThread&) = delete;
  TurnOnThisThread& operator=(const TurnOnThisThread&) = delete;
};

}  // namespace

namespace detail {

bool Inbox::post(std::unique_ptr<Operation>& op, bool notify, bool engine_only) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    if (engine_only) ++engine_only_posted_;
    ops_.push_back(std::move(op));
  }
  if (notify) ready_.notify_one();
  return true;
}

void Inbox::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  ready_.notify_one();
}

void Inbox::notify_if_posted() {
  bool posted = false;
  {
    std::lock_guard lock(mutex_);
    posted = !ops_.empty();
  }
  if (posted) ready_.notify_one();
}

void Inbox::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_one();
}

void Inbox::external_change(const ExternalChange& change) {
  {
    std::lock_guard lock(mutex_);
    switch (change.kind) {
      case ExternalChange::Kind::messages:
        touched_.insert(change.queue_id);
        break;
      case ExternalChange::Kind::queue:
        // Deleted or changed (a longer retention, say): its waiters look again.
        queues_changed_ = true;
        touched_.insert(change.queue_id);
        break;
      case ExternalChange::Kind::unknown:
        queues_changed_ = true;
        touched_all_ = true;
        break;
    }
    woken_ = true;
  }
  ready_.notify_one();
}

void Inbox::wait(std::int64_t timeout_ms) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return !ops_.empty() || woken_ || closed_; });
}

std::optional<Inbox::Taken> Inbox::take_for_caller() {
  std::lock_guard lock(mutex_);
  if (ops_.empty() || engine_only_posted_ > 0) return std::nullopt;
  return take_locked();
}

Inbox::Taken Inbox::take() {
  std::lock_guard lock(mutex_);
  return take_locked();
}

Inbox::Taken Inbox::take_locked() {
  Taken taken{std::move(ops_), closed_, std::move(touched_), touched_all_, queues_changed_};
  ops_.clear();
  engine_only_posted_ = 0;
  touched_.clear();
  touched_all_ = false;
  queues_changed_ = false;
  woken_ = false;
  return taken;
}

}  // namespace detail

Engine::Engine(std::unique_ptr<Store> store, std::shared_ptr<const Clock> clock, ServiceOptions options)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      options_(options),
      // An embedded store sees every change: its rows stay cached until this engine changes them.
      queues_(store_->shared() ? options.queue_cache_ttl_ms : 0) {
  store_->on_external_change([inbox = std::weak_ptr<detail::Inbox>(inbox_)](const ExternalChange& change) {
    if (auto alive = inbox.lock()) alive->external_change(change);
  });
}

Engine::~Engine() { shutdown(); }

void Engine::start() {
  std::lock_guard lock(lifecycle_mutex_);
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { run(); });
}

void Engine::shutdown() {
  inbox_->close();
  start();  // operations posted before start() still get their answer
  std::lock_guard lock(lifecycle_mutex_);
  // From a callback (a turn on this thread) closing is all we can do; the owner's
  // shutdown() or destructor joins.
  if (turn_on_this_thread == this) return;
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  // A posting thread may still be finishing its turn: the store must outlive it.
  std::lock_guard wait_for_turn(turn_mutex_);
}

bool Engine::caller_may_run(const Operation& op) const {
  return options_.callers_run_batches && op.weight() == Weight::light;
}

bool Engine::post(std::unique_ptr<Operation>& op) {
  const bool engine_only = !caller_may_run(*op);
  if (engine_only || turn_on_this_thread != nullptr) return inbox_->post(op, /*notify=*/true, engine_only);
  if (!inbox_->post(op, /*notify=*/false, /*engine_only=*/false)) return false;
  run_turn_here();
  return true;
}

void Engine::run_turn_here() {
  // Posts that arrive while this thread runs a turn are this thread's to run next:
  // waking the engine thread for them would only have it wait for the lock.
  for (int turn_count = 0; turn_count < max_caller_turns; ++turn_count) {
    std::unique_lock turn(turn_mutex_, std::try_to_lock);
    // Busy: whoever holds the lock looks at the inbox after unlocking (below, or the
    // engine thread's next wait), so the post is not stranded.
    if (!turn.owns_lock()) return;
    // Nothing left (taken by a turn that ran in between), or heavy work waiting,
    // which is the engine thread's, not a web worker's.
    std::optional<detail::Inbox::Taken> taken = inbox_->take_for_caller();
    if (!taken) break;
    TurnOnThisThread marker(this);
    Answers answers = run_turn(std::move(*taken), /*may_sweep=*/false);
    // Parked receives have deadlines and may have been touched by this batch: the
    // engine thread must look (and recompute how long to sleep).
    const bool engine_must_look = !parked_.empty();
    turn.unlock();
    deliver(std::move(answers));
    if (engine_must_look) return inbox_->wake();
  }
  inbox_->notify_if_posted();
}

void Engine::run() {
  TurnOnThisThread marker(this);
  {
    std::lock_guard turn(turn_mutex_);
    next_sweep_ms_ = clock_->now_ms();
  }
  std::int64_t budget_ms = 0;
  for (bool drained = false; !drained;) {
    inbox_->wait(budget_ms);
    Answers answers;
    {
      std::lock_guard turn(turn_mutex_);
      auto taken = inbox_->take();
      const bool closed = taken.closed;
      const bool had_posts = !taken.ops.empty();
      answers = run_turn(std::move(taken), /*may_sweep=*/true);
      // Closed and drained: nothing new can arrive, nothing more is pending.
      drained = closed && !had_posts && touched_.empty() && !touched_all_;
      budget_ms = wait_budget_ms(clock_->now_ms());
    }
    deliver(std::move(answers));
  }
  std::lock_guard turn(turn_mutex_);
  for (auto& op : parked_.take_all()) guarded([&] { op->complete_empty(); });
}

Engine::Answers Engine::run_turn(detail::Inbox::Taken taken, bool may_sweep) {
  if (taken.queues_changed) queues_.clear();
  touched_.insert(taken.touched.begin(), taken.touched.end());
  touched_all_ = touched_all_ || taken.touched_all;
  std::int64_t now_ms = clock_->now_ms();
  Ops batch = collect_batch(now_ms, std::move(taken.ops), may_sweep);
  Answers answers;
  if (!batch.empty()) answers = run_batch(std::move(batch), now_ms);
  refresh_next_visible(now_ms);
  return answers;
}

void Engine::deliver(Answers answers) {
  for (auto& answer : answers) {
    guarded([&] { answer.empty ? answer.op->complete_empty() : answer.op->complete(); });
  }
}

std::int64_t Engine::wait_budget_ms(std::int64_t now_ms) const {
  if (!touched_.empty() || touched_all_) return 0;
  std::int64_t wake = next_sweep_ms_;
  if (auto parked = parked_.next_wake_ms()) wake = std::min(wake, *parked);
  return std::clamp<std::int64_t>(wake - now_ms, 0, max_sleep_ms);
}

Engine::Ops Engine::collect_batch(std::int64_t now_ms, Ops posted, bool may_sweep) {
  for (auto& op : parked_.take_finished(now_ms)) guarded([&] { op->complete_empty(); });

  Ops batch;
  if (may_sweep && now_ms >= next_sweep_ms_) {
    batch.push_back(make_sweep());
    next_sweep_ms_ = now_ms + options_.sweep_interval_ms;
  }
  std::vector<std::int64_t> retry = touched_all_ ? parked_.queues() : parked_.queues_due(now_ms);
  if (!touched_all_) retry.insert(retry.end(), touched_.begin(), touched_.end());
  touched_.clear();
  touched_all_ = false;
  for (std::int64_t queue_id : retry) {
    for (auto& op : parked_.take_queue(queue_id)) batch.push_back(std::move(op));
  }
  for (auto& op : posted) batch.push_back(std::move(op));
  return batch;
}

Engine::Answers Engine::run_batch(Ops ops, std::int64_t now_ms) {
  EngineContext context{*store_, queues_, tokens_, now_ms, {}, false, {}, {}, {}, counters_.get(), {},
                        [this](std::int64_t queue_id) { return parked_.count(queue_id); }, {}, {}, {}};
  const auto started = std::chrono::steady_clock::now();
  bool needs_store = std::any_of(ops.begin(), ops.end(), [](const auto& op) { return op->needs_store(); });
  bool durable = std::any_of(ops.begin(), ops.end(), [](const auto& op) {
    return op->needs_store() && op->commit_mode() == Commit::durable;
  });
  bool committed = true;
  if (needs_store) {
    try {
      store_->begin(durable);
      for (auto& op : ops) {
        if (op->needs_store()) op->announce(context);
      }
      for (auto& op : ops) {
        if (op->needs_store()) run_in_savepoint(*op, context);
      }
      for (std::int64_t queue_id : context.leases.release_unclaimed(*store_, now_ms)) context.touch(queue_id);
      store_->commit();
      commits_.fetch_add(1, std::memory_order_relaxed);
      if (options_.storage_observer) {
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        options_.storage_observer->on_commit(took.count(), ops.size());
      }
    } catch (const std::exception& e) {
      store_->rollback();
      committed = false;
      queues_.clear();
      common::log::error("queue batch not committed", {{"error", e.what()}, {"ops", ops.size()}});
      Error unavailable{ErrorCode::unavailable, "storage is unavailable, try again later"};
      for (auto& op : ops) op->fail(unavailable);
    }
  }
  if (committed) {
    apply_counts(context);
    tell_peers(context);
  }
  return answer(std::move(ops), committed, context);
}

void Engine::apply_counts(const EngineContext& context) {
  if (!counters_) return;
  // Forgotten first: counts made after a delete in the same batch belong to a new queue.
  for (const std::string& name : context.deleted_queues) counters_->forget(name);
  for (const auto& [name, delta] : context.counted) counters_->add(name, delta);
}

void Engine::tell_peers(const EngineContext& context) {
  if (peers_.empty()) return;
  using Kind = ExternalChange::Kind;
  std::vector<ExternalChange> changes;
  if (context.touched_all) changes.push_back({Kind::unknown, 0});
  for (std::int64_t queue_id : context.changed_queues) changes.push_back({Kind::queue, queue_id});
  for (std::int64_t queue_id : context.touched) changes.push_back({Kind::messages, queue_id});
  for (const auto& peer : peers_) {
    if (auto inbox = peer.lock()) {
      for (const auto& change : changes) inbox->external_change(change);
    }
  }
}

bool Engine::run_in_savepoint(Operation& op, EngineContext& context) {
  store_->savepoint();
  const std::size_t counted_before = context.counted.size();
  const std::size_t deleted_before = context.deleted_queues.size();
  bool ok = false;
  try {
    ok = op.execute(context);
  } catch (const StoreError& e) {
    common::log::warn("queue operation failed in storage", {{"error", e.what()}});
    op.fail(Error{e.code(), client_message(e)});
  } catch (const std::exception& e) {
    common::log::error("queue operation failed", {{"error", e.what()}});
    op.fail(Error{ErrorCode::internal, "internal error"});
  }
  if (ok) {
    store_->release_savepoint();
  } else {
    // Undo whatever the op wrote; cached rows may mirror what was undone.
    store_->rollback_to_savepoint();
    queues_.clear();
    context.counted.resize(counted_before);
    context.deleted_queues.resize(deleted_before);
  }
  return ok;
}

Engine::Answers Engine::answer(Ops ops, bool committed, const EngineContext& context) {
  Answers answers;
  for (auto& op : ops) {
    auto park = committed ? op->park_request() : std::nullopt;
    const detail::WaitState* state = op->wait_state();
    if (park && !(state && state->cancelled.load(std::memory_order_acquire))) {
      parked_.park(std::move(op), *park);
    } else {
      answers.push_back({std::move(op), park.has_value()});
    }
  }
  if (committed) {
    // Receives parked in this very batch may have run before a send to their queue.
    touched_all_ = context.touched_all;
    for (std::int64_t queue_id : context.touched) touched_.insert(queue_id);
  }
  return answers;
}

void Engine::refresh_next_visible(std::int64_t now_ms) {
  for (std::int64_t queue_id : parked_.queues_needing_next_visible()) {
    try {
      parked_.set_next_visible(queue_id, store_->next_visible_at(queue_id, now_ms));
    } catch (const std::exception& e) {
      // Look again in a second rather than never.
      common::log::warn("queue next_visible_at failed", {{"error", e.what()}});
      parked_.set_next_visible(queue_id, now_ms + max_sleep_ms);
    }
  }
}

std::unique_ptr<Operation> Engine::make_sweep() {
  auto body = [this](EngineContext& context) -> Result<std::int64_t> {
    std::int64_t deleted = context.store.expire(context.now_ms, options_.sweep_batch);
    // Expiring a FIFO head promotes the next one: let parked receives look.
    if (deleted > 0) context.touch_all();
    return deleted;
  };
  auto done = [this](Result<std::int64_t> result) {
    // A full sweep means more is waiting: sweep again on the next turn.
    if (result.ok() && result.value() >= options_.sweep_batch) next_sweep_ms_ = 0;
    if (result.ok() && result.value() > 0) common::log::debug("queue retention sweep", {{"deleted", result.value()}});
  };
  return std::make_unique<TypedOperation<std::int64_t>>(std::move(body), std::move(done), Commit::relaxed);
}

}  // namespace queue::core
