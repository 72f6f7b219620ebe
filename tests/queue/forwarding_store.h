// A Store that forwards every call to a real one: derive and override what a test
// needs to observe or break. HoldPoint and TurnGate hold a turn inside such a store.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <utility>

#include "queue/core/store.h"

namespace queue::testing {

using namespace queue::core;

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  void begin(bool durable) override { inner_->begin(durable); }
  void commit() override { inner_->commit(); }
  void rollback() noexcept override { inner_->rollback(); }
  void savepoint() override { inner_->savepoint(); }
  void release_savepoint() override { inner_->release_savepoint(); }
  void rollback_to_savepoint() override { inner_->rollback_to_savepoint(); }
  std::optional<QueueRecord> find_queue(std::string_view name) override { return inner_->find_queue(name); }
  QueueRecord create_queue(std::string_view name, const QueueAttributes& a, std::int64_t now) override {
    return inner_->create_queue(name, a, now);
  }
  void update_queue(std::int64_t id, const QueueAttributes& a) override { inner_->update_queue(id, a); }
  std::vector<std::string> list_queues(std::string_view p, std::string_view after, std::size_t limit) override {
    return inner_->list_queues(p, after, limit);
  }
  std::vector<std::string> queues_using_dead_letter(std::string_view name, std::size_t limit) override {
    return inner_->queues_using_dead_letter(name, limit);
  }
  void delete_queue(std::int64_t id) override { inner_->delete_queue(id); }
  std::vector<std::int64_t> send(const QueueRecord& q, std::span<const NewMessage> m, std::int64_t now) override {
    return inner_->send(q, m, now);
  }
  LeaseOutcome receive(const QueueRecord& q, const LeaseRequest& r, const LeaseTokenSource& t) override {
    return inner_->receive(q, r, t);
  }
  std::vector<LeaseOutcome> receive_many(const QueueRecord& q, std::span<const LeaseRequest> r,
                                         const LeaseTokenSource& t) override {
    return inner_->receive_many(q, r, t);
  }
  bool ack(std::int64_t q, const LeaseRef& l, std::int64_t now) override { return inner_->ack(q, l, now); }
  bool change_visibility(std::int64_t q, const LeaseRef& l, std::int64_t at, std::int64_t now) override {
    return inner_->change_visibility(q, l, at, now);
  }
  std::vector<bool> ack_many(std::int64_t q, std::span<const LeaseRef> l, std::int64_t now) override {
    return inner_->ack_many(q, l, now);
  }
  std::vector<bool> change_visibility_many(std::int64_t q, std::span<const VisibilityChange> c,
                                           std::int64_t now) override {
    return inner_->change_visibility_many(q, c, now);
  }
  std::uint64_t deduplicated_count() const override { return inner_->deduplicated_count(); }
  void observe(std::shared_ptr<StorageObserver> observer) override { inner_->observe(std::move(observer)); }
  bool shared() const override { return inner_->shared(); }
  void on_external_change(std::function<void(const ExternalChange&)> notify) override {
    inner_->on_external_change(std::move(notify));
  }
  std::int64_t purge(std::int64_t q) override { return inner_->purge(q); }
  std::int64_t redrive(const QueueRecord& d, const std::optional<QueueRecord>& to, std::int64_t max,
                       std::int64_t now) override {
    return inner_->redrive(d, to, max, now);
  }
  std::vector<StoredMessage> peek(std::int64_t q, PeekState s, std::size_t limit, std::int64_t now,
                                  const std::optional<PeekCursor>& after) override {
    return inner_->peek(q, s, limit, now, after);
  }
  std::optional<FoundMessage> find_message(std::int64_t q, std::int64_t id, std::int64_t now) override {
    return inner_->find_message(q, id, now);
  }
  QueueStats stats(std::int64_t q, std::int64_t now) override { return inner_->stats(q, now); }
  std::int64_t expire(std::int64_t now, std::int64_t limit) override { return inner_->expire(now, limit); }
  std::optional<std::int64_t> next_visible_at(std::int64_t q, std::int64_t now) override {
    return inner_->next_visible_at(q, now);
  }

 protected:
  std::unique_ptr<Store> inner_;
};

// A place in a store call where a test holds the turn running it, and with it the
// engine's turn lock: call pass() there. Armed by a TurnGate; unarmed, pass() does
// nothing.
class HoldPoint {
 public:
  void pass() {
    std::shared_ptr<std::promise<void>> entered;
    std::shared_future<void> released;
    {
      std::lock_guard lock(mutex_);
      entered = std::exchange(entered_, nullptr);
      released = released_;
    }
    if (!entered) return;
    entered->set_value();
    released.wait();
  }

 private:
  friend class TurnGate;
  std::mutex mutex_;
  std::shared_ptr<std::promise<void>> entered_;
  std::shared_future<void> released_;
};

// Arms `point`, runs `start` (which must bring a turn to it) and returns once that
// turn is held there. Everything posted meanwhile, by any thread, waits for the
// next batch, so batching becomes deterministic. release() (or the destructor)
// lets the turn go on.
class TurnGate {
 public:
  TurnGate(HoldPoint& point, const std::function<void()>& start) {
    auto entered = std::make_shared<std::promise<void>>();
    auto inside = entered->get_future();
    {
      std::lock_guard lock(point.mutex_);
      point.entered_ = std::move(entered);
      point.released_ = released_;
    }
    start();
    inside.wait();
  }
  ~TurnGate() { release(); }
  TurnGate(const TurnGate&) = delete;
  TurnGate& operator=(const TurnGate&) = delete;
  void release() {
    if (!released_promise_) return;
    released_promise_->set_value();
    released_promise_.reset();
  }

 private:
  std::shared_ptr<std::promise<void>> released_promise_ = std::make_shared<std::promise<void>>();
  std::shared_future<void> released_ = released_promise_->get_future().share();
};

}  // namespace queue::testing
