// A receive: lease up to `max` messages now, or park until one may be available.
//
// The same object runs again each time the engine brings it back from the parked
// registry; it holds its callback until it answers, exactly once.
#include "queue/core/operations.h"
#include "queue/core/receipts.h"

namespace queue::core::ops {
namespace {

constexpr std::int64_t ms_per_s = 1'000;

class ReceiveOperation final : public Operation {
 public:
  ReceiveOperation(std::string queue, ReceiveOptions options, std::int64_t deadline_ms,
                   std::shared_ptr<detail::WaitState> state, Callback<std::vector<ReceivedMessage>> done)
      : queue_(std::move(queue)),
        options_(options),
        deadline_ms_(deadline_ms),
        state_(std::move(state)),
        done_(std::move(done)) {}

  // A lease lost to a power failure only makes the message reappear early.
  Commit commit_mode() const override { return Commit::relaxed; }
  Weight weight() const override { return Weight::light; }

  bool execute(EngineContext& context) override {
    park_.reset();
    // The client is gone: lease nothing it would never acknowledge.
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
    if (!context.known_empty.contains(queue.id)) messages = lease(context, queue);
    if (messages.empty()) {
      context.known_empty.insert(queue.id);
      if (deadline_ms_ > context.now_ms) park_ = ParkRequest{queue.id, deadline_ms_};
    }
    result_.emplace(std::move(messages));
    return true;
  }

  void fail(const Error& error) override {
    park_.reset();
    result_.emplace(error);
  }
  void complete() override {
    if (!result_) result_.emplace(Error{ErrorCode::internal, "receive did not run"});
    done_(std::move(*result_));
  }
  std::optional<ParkRequest> park_request() const override { return park_; }
  void complete_empty() override { done_(std::vector<ReceivedMessage>{}); }
  const detail::WaitState* wait_state() const override { return state_.get(); }

 private:
  std::vector<ReceivedMessage> lease(EngineContext& context, const QueueRecord& queue) {
    const QueueAttributes& attributes = queue.attributes;
    LeaseRequest request;
    request.max = options_.max;
    request.now_ms = context.now_ms;
    request.lease_until_ms =
        context.now_ms + options_.visibility_timeout_s.value_or(attributes.visibility_timeout_s) * ms_per_s;
    request.sent_after_ms = context.now_ms - std::int64_t{attributes.retention_s} * ms_per_s;
    if (attributes.dead_letter) {
      // Exists unless deleted behind our back (delete_queue refuses while referenced).
      if (const QueueRecord* target = context.find_queue(attributes.dead_letter->queue)) {
        request.dead_letter = DeadLetterTarget{target->id, attributes.dead_letter->max_receives};
      }
    }
    auto outcome = context.store.receive(queue, request, [&] { return context.tokens.next(); });
    if (outcome.dead_lettered > 0 && request.dead_letter) context.touch(request.dead_letter->queue_id);

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
  Callback<std::vector<ReceivedMessage>> done_;
  std::optional<Result<std::vector<ReceivedMessage>>> result_;
  std::optional<ParkRequest> park_;
};

}  // namespace

std::unique_ptr<Operation> make_receive(std::string queue, ReceiveOptions options, std::int64_t deadline_ms,
                                        std::shared_ptr<detail::WaitState> state,
                                        Callback<std::vector<ReceivedMessage>> done) {
  return std::make_unique<ReceiveOperation>(std::move(queue), options, deadline_ms, std::move(state),
                                            std::move(done));
}

}  // namespace queue::core::ops
