// A Store that forwards every call to a real one: derive and override what a test
// needs to observe or break.
#pragma once

#include <memory>

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
  bool ack(std::int64_t q, const LeaseRef& l, std::int64_t now) override { return inner_->ack(q, l, now); }
  bool change_visibility(std::int64_t q, const LeaseRef& l, std::int64_t at, std::int64_t now) override {
    return inner_->change_visibility(q, l, at, now);
  }
  std::vector<bool> ack_many(std::int64_t q, std::span<const LeaseRef> l, std::int64_t now) override {
    return inner_->ack_many(q, l, now);
  }
  std::vector<bool> change_visibility_many(std::int64_t q, std::span<const LeaseRef> l, std::int64_t at,
                                           std::int64_t now) override {
    return inner_->change_visibility_many(q, l, at, now);
  }
  bool shared() const override { return inner_->shared(); }
  void on_external_change(std::function<void(const ExternalChange&)> notify) override {
    inner_->on_external_change(std::move(notify));
  }
  std::int64_t purge(std::int64_t q) override { return inner_->purge(q); }
  std::int64_t redrive(const QueueRecord& d, const std::optional<QueueRecord>& to, std::int64_t max,
                       std::int64_t now) override {
    return inner_->redrive(d, to, max, now);
  }
  std::vector<StoredMessage> peek(std::int64_t q, PeekState s, std::size_t limit, std::int64_t now) override {
    return inner_->peek(q, s, limit, now);
  }
  QueueStats stats(std::int64_t q, std::int64_t now) override { return inner_->stats(q, now); }
  std::int64_t expire(std::int64_t now, std::int64_t limit) override { return inner_->expire(now, limit); }
  std::optional<std::int64_t> next_visible_at(std::int64_t q, std::int64_t now) override {
    return inner_->next_visible_at(q, now);
  }

 protected:
  std::unique_ptr<Store> inner_;
};

}  // namespace queue::testing
