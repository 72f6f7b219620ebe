// What the engine runs: one queued request (an Operation) and what it may use
// while running (an EngineContext). Internal to queue/core.
//
// Lifecycle of an Operation: execute() inside the batch transaction and its own
// savepoint; then, after the commit, either complete() (answer the caller) or, for a
// receive that found nothing and may wait, parking (see waiters.h). If the commit
// fails, fail() replaces the result first.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <string_view>
#include <utility>

#include "queue/core/errors.h"
#include "queue/core/lease_sharing.h"
#include "queue/core/queue_cache.h"
#include "queue/core/receipt_sharing.h"
#include "queue/core/receipts.h"
#include "queue/core/service.h"
#include "queue/core/store.h"
#include "queue/core/telemetry.h"

namespace queue::core {

namespace detail {
// Shared by a parked receive and its ReceiveHandle.
struct WaitState {
  std::atomic<bool> cancelled{false};
};
}  // namespace detail

struct EngineContext {
  Store& store;
  QueueCache& queues;
  LeaseTokenGenerator& tokens;
  std::int64_t now_ms = 0;

  // Queues where messages may have become receivable in this batch (sends, releases,
  // FIFO heads promoted): their parked receives look again after the commit.
  std::set<std::int64_t> touched;
  bool touched_all = false;
  // Queues whose row this batch updated or deleted: the other engines of a pool drop
  // their cached rows after the commit (before any answer).
  std::set<std::int64_t> changed_queues;
  // Queues a receive of this batch found empty: later receives in the same batch skip
  // the store (nothing was sent to them since, or they would have been touched).
  std::set<std::int64_t> known_empty;
  // What this batch's operations counted, by queue name: added to `counters` only
  // once the batch committed (an op that fails has its entries dropped).
  std::vector<std::pair<std::string, QueueCounts>> counted;
  const QueueCounters* counters = nullptr;
  std::vector<std::string> deleted_queues;  // their counters are forgotten after the commit
  // Long polls parked on a queue of this engine (for the metrics snapshot).
  std::function<std::size_t(std::int64_t queue_id)> parked_on;
  // The batch's receives, acks and visibility changes: one store call per kind and
  // queue (lease_sharing.h, receipt_sharing.h).
  LeaseSharing leases;
  ReceiptSharing acks;
  ReceiptSharing visibility_changes;

  const QueueRecord* find_queue(std::string_view name) { return queues.find(store, name, now_ms); }
  const QueueRecord* find_current_queue(std::string_view name) { return queues.find_current(store, name, now_ms); }
  void touch(std::int64_t queue_id) {
    touched.insert(queue_id);
    known_empty.erase(queue_id);
  }
  void count(const std::string& queue, const QueueCounts& delta) { counted.emplace_back(queue, delta); }
  // The queue's stats from the store plus this process's counters.
  QueueStats stats_of(const QueueRecord& queue) {
    QueueStats stats = store.stats(queue.id, now_ms);
    if (counters != nullptr) {
      QueueCounts counts = counters->get(queue.name);
      stats.sent_total = counts.sent;
      stats.received_total = counts.received;
      stats.acked_total = counts.acked;
    }
    return stats;
  }
  void touch_all() {
    touched_all = true;
    known_empty.clear();
  }
};

// Whether the answer must wait for a flush to stable storage (see Store::begin).
enum class Commit { durable, relaxed };

// Light: bounded work (one request's messages or one queue row), which the thread
// that posts it may run itself when the engine is idle (ServiceOptions::
// callers_run_batches). Heavy (a purge, a redrive, a sweep, a scan): only ever the
// engine thread, so a web worker never stalls its other connections on it.
enum class Weight { light, heavy };

struct ParkRequest {
  std::int64_t queue_id = 0;
  std::int64_t deadline_ms = 0;
};

class Operation {
 public:
  virtual ~Operation() = default;
  // Runs inside the transaction. Returns false when the result is an error (the
  // engine then rolls back the op's savepoint). Throws StoreError on database failure.
  virtual bool execute(EngineContext& context) = 0;
  // False for requests answered without the store (rejected by validation).
  virtual bool needs_store() const { return true; }
  virtual Commit commit_mode() const { return Commit::durable; }
  virtual Weight weight() const { return Weight::heavy; }
  // Before the batch's first execute(): tells the context what this op will ask of
  // the store, so ops of one kind and queue can share one store call.
  virtual void announce(EngineContext& context) { (void)context; }
  virtual void fail(const Error& error) = 0;
  virtual void complete() = 0;
  // After a successful commit: whether to park instead of complete.
  virtual std::optional<ParkRequest> park_request() const { return std::nullopt; }
  // Parked receives only: answer with an empty list (deadline, cancel, shutdown).
  virtual void complete_empty() {}
  virtual const detail::WaitState* wait_state() const { return nullptr; }
};

// An operation whose body computes a Result<T> for a callback.
template <typename T>
class TypedOperation final : public Operation {
 public:
  using Body = std::function<Result<T>(EngineContext&)>;
  using Announce = std::function<void(EngineContext&)>;  // see Operation::announce

  TypedOperation(Body body, Callback<T> done, Commit mode = Commit::durable, Weight weight = Weight::heavy,
                 Announce announce = {})
      : body_(std::move(body)), done_(std::move(done)), mode_(mode), weight_(weight), announce_(std::move(announce)) {}
  // Already answered: validation rejected the request.
  TypedOperation(Error rejection, Callback<T> done) : done_(std::move(done)), result_(std::move(rejection)) {}

  bool needs_store() const override { return static_cast<bool>(body_); }
  Commit commit_mode() const override { return mode_; }
  // A rejection only calls back.
  Weight weight() const override { return body_ ? weight_ : Weight::light; }
  void announce(EngineContext& context) override {
    if (announce_) announce_(context);
  }
  bool execute(EngineContext& context) override {
    if (!body_) return false;
    result_.emplace(body_(context));
    return result_->ok();
  }
  void fail(const Error& error) override {
    if (body_) result_.emplace(error);
  }
  void complete() override {
    if (!result_) result_.emplace(Error{ErrorCode::internal, "operation did not run"});
    done_(std::move(*result_));
  }

 private:
  Body body_;
  Callback<T> done_;
  Commit mode_ = Commit::durable;
  Weight weight_ = Weight::heavy;
  Announce announce_;
  std::optional<Result<T>> result_;
};

}  // namespace queue::core
