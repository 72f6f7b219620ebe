// A receive: ack the receipts it carries, then lease up to `max` messages now, or
// park until one may be available.
//
// The same object runs again each time the engine brings it back from the parked
// registry; it holds its callback until it answers, exactly once. Its acks run only
// in the first execution: a parked receive was parked after a successful commit, so
// by the time it runs again they are durable and only the lease is retried.
#include "queue/core/operations.h"
#include "queue/core/receipts.h"

namespace queue::core::ops {
namespace {

constexpr std::int64_t ms_per_s = 1'000;

class ReceiveOperation final : public Operation {
 public:
  ReceiveOperation(std::string queue, ReceiveOptions options, std::int64_t deadline_ms,
                   std::shared_ptr<detail::WaitState> state, Callback<ReceiveResult> done)
      : queue_(std::move(queue)),
        options_(std::move(options)),
        deadline_ms_(deadline_ms),
        state_(std::move(state)),
        done_(std::move(done)) {}

  // A lease lost to a power failure only makes the message reappear early; an ack
  // must survive. Looking again after parking only leases.
  Commit commit_mode() const override {
    return !acks_ran_ && !options_.ack.empty() ? Commit::durable : Commit::relaxed;
  }
  Weight weight() const override { return Weight::light; }

  // Its lease, if it will look: one store call with the batch's other receives of the queue.
  void announce(EngineContext& context) override {
    if (!acks_ran_ && !options_.ack.empty()) context.acks.announce(&options_.ack, queue_);
    if (!state_->cancelled.load(std::memory_order_acquire)) context.leases.announce(this, queue_, wish());
  }

  bool execute(EngineContext& context) override {
    park_.reset();
    // Only a committed receive is parked and so runs again.
    acks_durable_ = acks_ran_;
    if (!acks_ran_ && !options_.ack.empty()) {
      Result<AckResult> acked = ack(context, queue_, options_.ack);
      if (!acked.ok()) {
        result_.emplace(acked.error());
        return false;
      }
      acks_ = std::move(acked).value();
    }
    acks_ran_ = true;
    // The client is gone: lease nothing it would never acknowledge (its acks stand,
    // as a plain ack's would).
    if (state_->cancelled.load(std::memory_order_acquire)) {
      result_.emplace(std::vector<ReceivedMessage>{});
      return true;
    }
    const QueueRecord* found = context.find_queue(queue_);
    if (!found) {
      result_.emplace(queue_not_found(queue_));
      return false;
    }
    QueueRecord queue = *found;
    std::vector<ReceivedMessage> messages;
    // A paused queue parks its receives like an empty one; resuming it (put_queue)
    // touches the queue, so they look again at once. Messages already leased for this
    // receive by its queue's shared statement are delivered whatever came after.
    const bool may_lease = !queue.attributes.paused && !context.known_empty.contains(queue.id);
    if (may_lease || context.leases.holds_share(this)) messages = lease(context, queue);
    if (messages.empty()) {
      context.known_empty.insert(queue.id);
      if (deadline_ms_ > context.now_ms) park_ = ParkRequest{queue.id, deadline_ms_};
    }
    result_.emplace(std::move(messages));
    return true;
  }

  void fail(const Error& error) override {
    park_.reset();
    // A later look failed, but the acks committed before it: answer them rather than
    // an error that would have the client ack again (and see receipt_invalid).
    if (acks_durable_ && !options_.ack.empty()) {
      result_.emplace(std::vector<ReceivedMessage>{});
    } else {
      result_.emplace(error);
    }
  }
  void complete() override {
    if (!result_) result_.emplace(Error{ErrorCode::internal, "receive did not run"});
    if (!result_->ok()) return done_(result_->error());
    done_(ReceiveResult{std::move(acks_), std::move(*result_).value()});
  }
  std::optional<ParkRequest> park_request() const override { return park_; }
  void complete_empty() override { done_(ReceiveResult{std::move(acks_), {}}); }
  const detail::WaitState* wait_state() const override { return state_.get(); }

 private:
  LeaseWish wish() const { return LeaseWish{options_.max, options_.visibility_timeout_s, &state_->cancelled}; }

  std::vector<ReceivedMessage> lease(EngineContext& context, const QueueRecord& queue) {
    const QueueAttributes& attributes = queue.attributes;
    std::optional<DeadLetterTarget> dead_letter;
    if (attributes.dead_letter) {
      // Exists unless deleted behind our back (delete_queue refuses while referenced).
      if (const QueueRecord* target = context.find_queue(attributes.dead_letter->queue)) {
        dead_letter = DeadLetterTarget{target->id, attributes.dead_letter->max_receives};
      }
    }
    auto build = [&](const LeaseWish& wish) {
      LeaseRequest request;
      request.max = wish.max;
      request.now_ms = context.now_ms;
      request.lease_until_ms =
          context.now_ms + wish.visibility_timeout_s.value_or(attributes.visibility_timeout_s) * ms_per_s;
      request.sent_after_ms = context.now_ms - std::int64_t{attributes.retention_s} * ms_per_s;
      request.dead_letter = dead_letter;
      return request;
    };
    auto outcome = context.leases.take(context.store, this, queue, wish(), build, [&] { return context.tokens.next(); });
    if (outcome.dead_lettered > 0 && dead_letter) context.touch(dead_letter->queue_id);

    QueueCounts counts;
    counts.received = outcome.delivered.size();
    counts.dead_lettered = static_cast<std::uint64_t>(outcome.dead_lettered);
    for (const LeasedMessage& m : outcome.delivered) counts.redelivered += m.receive_count > 1 ? 1 : 0;
    if (counts.received > 0 || counts.dead_lettered > 0) context.count(queue.name, counts);

    std::vector<ReceivedMessage> messages;
    messages.reserve(outcome.delivered.size());
    for (LeasedMessage& m : outcome.delivered) {
      messages.push_back(ReceivedMessage{std::to_string(m.id), std::move(m.body), std::move(m.attributes),
                                         encode_receipt(LeaseRef{m.id, m.lease_token}), m.receive_count,
                                         m.sent_at_ms, std::move(m.group_id)});
    }
    return messages;
  }

  std::string queue_;
  ReceiveOptions options_;
  std::int64_t deadline_ms_;
  std::shared_ptr<detail::WaitState> state_;
  Callback<ReceiveResult> done_;
  AckResult acks_;
  bool acks_ran_ = false;      // by the first execution
  bool acks_durable_ = false;  // committed: this execution is not the first
  std::optional<Result<std::vector<ReceivedMessage>>> result_;
  std::optional<ParkRequest> park_;
};

}  // namespace

std::unique_ptr<Operation> make_receive(std::string queue, ReceiveOptions options, std::int64_t deadline_ms,
                                        std::shared_ptr<detail::WaitState> state, Callback<ReceiveResult> done) {
  return std::make_unique<ReceiveOperation>(std::move(queue), std::move(options), deadline_ms, std::move(state),
                                            std::move(done));
}

}  // namespace queue::core::ops
