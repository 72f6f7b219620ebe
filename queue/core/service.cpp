// QueueService: validate on the caller's thread, run on the engine thread.
//
// Each call checks the rules that need no data (validation.h), then posts one
// Operation. A rejected call is posted too, already answered, so every callback runs
// on the engine thread and never inside the call that registered it.
#include "queue/core/service.h"

#include "queue/core/engine.h"
#include "queue/core/operations.h"
#include "queue/core/validation.h"

namespace queue::core {
namespace {

void post_or_refuse(Engine& engine, std::unique_ptr<Operation> op) {
  if (engine.post(op)) return;
  op->fail(Error{ErrorCode::unavailable, "the queue service is shutting down"});
  op->complete();
}

template <typename T>
void submit(Engine& engine, const std::optional<Error>& rejection, Callback<T> done,
            typename TypedOperation<T>::Body body, Commit mode = Commit::durable) {
  if (rejection) {
    post_or_refuse(engine, std::make_unique<TypedOperation<T>>(*rejection, std::move(done)));
  } else {
    post_or_refuse(engine, std::make_unique<TypedOperation<T>>(std::move(body), std::move(done), mode));
  }
}

}  // namespace

void ReceiveHandle::cancel() {
  if (!state_) return;
  state_->cancelled.store(true, std::memory_order_release);
  if (auto inbox = inbox_.lock()) inbox->wake();
}

QueueService::QueueService(std::unique_ptr<Store> store, std::shared_ptr<const Clock> clock, ServiceOptions options)
    : clock_(clock), engine_(std::make_unique<Engine>(std::move(store), std::move(clock), options)) {}

QueueService::~QueueService() { shutdown(); }

void QueueService::start() { engine_->start(); }
void QueueService::shutdown() { engine_->shutdown(); }
void QueueService::nudge() { engine_->nudge(); }
std::uint64_t QueueService::commit_count() const { return engine_->commit_count(); }

void QueueService::put_queue(std::string name, AttributesPatch patch, Callback<PutQueueResult> done) {
  auto rejection = check_patch(name, patch);
  submit<PutQueueResult>(*engine_, rejection, std::move(done),
                         [name = std::move(name), patch = std::move(patch)](EngineContext& context) {
                           return ops::put_queue(context, name, patch);
                         });
}

void QueueService::get_queue(std::string name, Callback<QueueInfo> done) {
  auto rejection = check_queue_name(name);
  submit<QueueInfo>(*engine_, rejection, std::move(done),
                    [name = std::move(name)](EngineContext& context) { return ops::get_queue(context, name); },
                    Commit::relaxed);
}

void QueueService::list_queues(ListQueuesRequest request, Callback<QueueList> done) {
  auto rejection = check_list_request(request);
  submit<QueueList>(
      *engine_, rejection, std::move(done),
      [request = std::move(request)](EngineContext& context) { return ops::list_queues(context, request); },
      Commit::relaxed);
}

void QueueService::delete_queue(std::string name, Callback<Done> done) {
  auto rejection = check_queue_name(name);
  submit<Done>(*engine_, rejection, std::move(done),
               [name = std::move(name)](EngineContext& context) { return ops::delete_queue(context, name); });
}

void QueueService::send(std::string queue, std::vector<OutgoingMessage> messages, Callback<SendResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_messages(messages);
  submit<SendResult>(*engine_, rejection, std::move(done),
                     [queue = std::move(queue), messages = std::move(messages)](EngineContext& context) {
                       return ops::send(context, queue, messages);
                     });
}

ReceiveHandle QueueService::receive(std::string queue, ReceiveOptions options,
                                    Callback<std::vector<ReceivedMessage>> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receive(options);
  if (rejection) {
    post_or_refuse(*engine_,
                   std::make_unique<TypedOperation<std::vector<ReceivedMessage>>>(*rejection, std::move(done)));
    return ReceiveHandle{};
  }
  auto state = std::make_shared<detail::WaitState>();
  std::int64_t deadline_ms = clock_->now_ms() + options.wait_ms;
  post_or_refuse(*engine_, ops::make_receive(std::move(queue), options, deadline_ms, state, std::move(done)));
  return ReceiveHandle{std::move(state), engine_->inbox()};
}

void QueueService::ack(std::string queue, std::vector<std::string> receipts, Callback<AckResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receipt_batch(receipts.size());
  submit<AckResult>(*engine_, rejection, std::move(done),
                    [queue = std::move(queue), receipts = std::move(receipts)](EngineContext& context) {
                      return ops::ack(context, queue, receipts);
                    });
}

void QueueService::change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                                     Callback<VisibilityResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receipt_batch(receipts.size());
  if (!rejection) rejection = check_visibility_timeout(visibility_timeout_s);
  submit<VisibilityResult>(
      *engine_, rejection, std::move(done),
      [queue = std::move(queue), receipts = std::move(receipts), visibility_timeout_s](EngineContext& context) {
        return ops::change_visibility(context, queue, receipts, visibility_timeout_s);
      });
}

void QueueService::purge(std::string queue, Callback<PurgeResult> done) {
  auto rejection = check_queue_name(queue);
  submit<PurgeResult>(*engine_, rejection, std::move(done),
                      [queue = std::move(queue)](EngineContext& context) { return ops::purge(context, queue); });
}

void QueueService::redrive(std::string dead_letter_queue, RedriveRequest request, Callback<RedriveResult> done) {
  auto rejection = check_redrive(dead_letter_queue, request);
  submit<RedriveResult>(
      *engine_, rejection, std::move(done),
      [queue = std::move(dead_letter_queue), request = std::move(request)](EngineContext& context) {
        return ops::redrive(context, queue, request);
      });
}

void QueueService::peek(std::string queue, PeekRequest request, Callback<std::vector<PeekedMessage>> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_peek(request);
  submit<std::vector<PeekedMessage>>(*engine_, rejection, std::move(done),
                                     [queue = std::move(queue), request](EngineContext& context) {
                                       return ops::peek(context, queue, request);
                                     },
                                     Commit::relaxed);
}

void QueueService::check_health(Callback<Health> done) {
  Engine& engine = *engine_;
  submit<Health>(engine, std::nullopt, std::move(done), [&engine](EngineContext& context) -> Result<Health> {
    context.store.list_queues("", "", 1);  // a real query: the store answers
    return Health{engine.commit_count(), engine.parked_count()};
  }, Commit::relaxed);
}

}  // namespace queue::core
