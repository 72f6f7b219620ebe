// QueueService: validate on the caller's thread, run on the engine thread.
//
// Each call checks the rules that need no data (validation.h), then posts one
// Operation. A rejected call is posted too, already answered, so it is answered in
// turn like any other (Engine::post decides on which thread).
#include "queue/core/service.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <stdexcept>

#include "queue/core/engine.h"
#include "queue/core/operations.h"
#include "queue/core/validation.h"

namespace queue::core {
namespace {

// The engine for a receive, an ack or a visibility change (see "A pool of engines"
// in service.h): a standard queue's take turns over the pool, so one hot queue uses
// every connection; a FIFO queue's stay on its home engine, in posting order.
Engine& consuming_engine(const std::vector<std::unique_ptr<Engine>>& engines, Engine& home, std::string_view queue) {
  if (engines.size() < 2 || is_fifo_name(queue)) return home;
  // One counter for every service of the process: only the spread matters.
  static std::atomic<std::size_t> turn{0};
  return *engines[turn.fetch_add(1, std::memory_order_relaxed) % engines.size()];
}

void post_or_refuse(Engine& engine, std::unique_ptr<Operation> op) {
  if (engine.post(op)) return;
  op->fail(Error{ErrorCode::unavailable, "the queue service is shutting down"});
  op->complete();
}

template <typename T>
void submit(Engine& engine, const std::optional<Error>& rejection, Callback<T> done,
            typename TypedOperation<T>::Body body, Commit mode = Commit::durable, Weight weight = Weight::heavy,
            typename TypedOperation<T>::Announce announce = {}) {
  if (rejection) {
    post_or_refuse(engine, std::make_unique<TypedOperation<T>>(*rejection, std::move(done)));
  } else {
    post_or_refuse(engine, std::make_unique<TypedOperation<T>>(std::move(body), std::move(done), mode, weight,
                                                               std::move(announce)));
  }
}

std::vector<std::unique_ptr<Store>> one(std::unique_ptr<Store> store) {
  std::vector<std::unique_ptr<Store>> stores;
  stores.push_back(std::move(store));
  return stores;
}

void check_pool(const std::vector<std::unique_ptr<Store>>& stores) {
  if (stores.empty()) throw std::invalid_argument("QueueService needs at least one store");
  if (std::any_of(stores.begin(), stores.end(), [](const auto& store) { return !store; })) {
    throw std::invalid_argument("QueueService was given a null store");
  }
  if (stores.size() > 1 &&
      std::any_of(stores.begin(), stores.end(), [](const auto& store) { return !store->shared(); })) {
    // Engines on an embedded store would not see each other's changes.
    throw std::invalid_argument("several stores must all be shared ones (PostgreSQL); SQLite runs on one");
  }
}

// check_health over every engine: the answer waits for the last of them, adds up
// their numbers, and is the first error if any engine failed.
class HealthTally {
 public:
  HealthTally(std::size_t engines, Callback<Health> done) : pending_(engines), done_(std::move(done)) {}

  void add(Result<Health> result) {
    std::optional<Result<Health>> answer;
    {
      std::lock_guard lock(mutex_);
      if (!result.ok()) {
        if (!error_) error_ = result.error();
      } else {
        sum_.commits += result.value().commits;
        sum_.parked_receives += result.value().parked_receives;
      }
      if (--pending_ > 0) return;
      answer = error_ ? Result<Health>(*error_) : Result<Health>(sum_);
    }
    done_(std::move(*answer));
  }

 private:
  std::mutex mutex_;
  std::size_t pending_;
  Health sum_;
  std::optional<Error> error_;
  Callback<Health> done_;
};

}  // namespace

void ReceiveHandle::cancel() {
  if (!state_) return;
  state_->cancelled.store(true, std::memory_order_release);
  if (auto inbox = inbox_.lock()) inbox->wake();
}

QueueService::QueueService(std::unique_ptr<Store> store, std::shared_ptr<const Clock> clock, ServiceOptions options)
    : QueueService(one(std::move(store)), std::move(clock), options) {}

QueueService::QueueService(std::vector<std::unique_ptr<Store>> stores, std::shared_ptr<const Clock> clock,
                           ServiceOptions options)
    : clock_(std::move(clock)) {
  check_pool(stores);
  engines_.reserve(stores.size());
  for (auto& store : stores) {
    engines_.push_back(std::make_unique<Engine>(std::move(store), clock_, options));
    engines_.back()->count_into(counters_);
  }
  for (auto& engine : engines_) {
    std::vector<std::weak_ptr<detail::Inbox>> peers;
    for (const auto& other : engines_) {
      if (other != engine) peers.push_back(other->inbox());
    }
    engine->share_changes_with(std::move(peers));
  }
}

QueueService::~QueueService() { shutdown(); }

void QueueService::start() {
  for (auto& engine : engines_) engine->start();
}

void QueueService::shutdown() {
  for (auto& engine : engines_) engine->shutdown();
}

void QueueService::nudge() {
  for (auto& engine : engines_) engine->nudge();
}

std::uint64_t QueueService::commit_count() const {
  std::uint64_t commits = 0;
  for (const auto& engine : engines_) commits += engine->commit_count();
  return commits;
}

Engine& QueueService::engine_for(std::string_view queue) const {
  return *engines_[std::hash<std::string_view>{}(queue) % engines_.size()];
}

void QueueService::put_queue(std::string name, AttributesPatch patch, Callback<PutQueueResult> done) {
  auto rejection = check_patch(name, patch);
  Engine& engine = engine_for(name);
  submit<PutQueueResult>(engine, rejection, std::move(done),
                         [name = std::move(name), patch = std::move(patch)](EngineContext& context) {
                           return ops::put_queue(context, name, patch);
                         });
}

void QueueService::get_queue(std::string name, Callback<QueueInfo> done) {
  auto rejection = check_queue_name(name);
  Engine& engine = engine_for(name);
  submit<QueueInfo>(engine, rejection, std::move(done),
                    [name = std::move(name)](EngineContext& context) { return ops::get_queue(context, name); },
                    Commit::relaxed, Weight::light);
}

void QueueService::list_queues(ListQueuesRequest request, Callback<QueueList> done) {
  auto rejection = check_list_request(request);
  // Reads no queue in particular: any engine will do, so take turns.
  Engine& engine = *engines_[next_engine_.fetch_add(1, std::memory_order_relaxed) % engines_.size()];
  submit<QueueList>(
      engine, rejection, std::move(done),
      [request = std::move(request)](EngineContext& context) { return ops::list_queues(context, request); },
      Commit::relaxed);
}

void QueueService::delete_queue(std::string name, Callback<Done> done) {
  auto rejection = check_queue_name(name);
  Engine& engine = engine_for(name);
  submit<Done>(engine, rejection, std::move(done),
               [name = std::move(name)](EngineContext& context) { return ops::delete_queue(context, name); });
}

void QueueService::send(std::string queue, std::vector<OutgoingMessage> messages, Callback<SendResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_messages(messages);
  Engine& engine = engine_for(queue);
  submit<SendResult>(engine, rejection, std::move(done),
                     [queue = std::move(queue), messages = std::move(messages)](EngineContext& context) {
                       return ops::send(context, queue, messages);
                     },
                     Commit::durable, Weight::light);
}

ReceiveHandle QueueService::receive(std::string queue, ReceiveOptions options,
                                    Callback<std::vector<ReceivedMessage>> done) {
  std::optional<Error> rejection;
  if (!options.ack.empty()) {
    rejection = Error{ErrorCode::invalid_request, "ack needs receive_with_acks, which answers each receipt"};
  }
  return start_receive(std::move(queue), std::move(options), std::move(rejection),
                       [done = std::move(done)](Result<ReceiveResult> result) {
                         if (!result.ok()) return done(result.error());
                         done(std::move(result.value().messages));
                       });
}

ReceiveHandle QueueService::receive_with_acks(std::string queue, ReceiveOptions options,
                                              Callback<ReceiveResult> done) {
  return start_receive(std::move(queue), std::move(options), std::nullopt, std::move(done));
}

ReceiveHandle QueueService::start_receive(std::string queue, ReceiveOptions options, std::optional<Error> rejection,
                                          Callback<ReceiveResult> done) {
  if (!rejection) rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receive(options);
  Engine& engine = consuming_engine(engines_, engine_for(queue), queue);
  if (rejection) {
    post_or_refuse(engine, std::make_unique<TypedOperation<ReceiveResult>>(*rejection, std::move(done)));
    return ReceiveHandle{};
  }
  auto state = std::make_shared<detail::WaitState>();
  std::int64_t deadline_ms = clock_->now_ms() + options.wait_ms;
  post_or_refuse(engine, ops::make_receive(std::move(queue), std::move(options), deadline_ms, state, std::move(done)));
  return ReceiveHandle{std::move(state), engine.inbox()};
}

void QueueService::ack(std::string queue, std::vector<std::string> receipts, Callback<AckResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receipt_batch(receipts.size());
  Engine& engine = consuming_engine(engines_, engine_for(queue), queue);
  // Shared by both lambdas: its address identifies this ack in the batch (receipt_sharing.h).
  auto shared = std::make_shared<const std::vector<std::string>>(std::move(receipts));
  auto announce = [queue, shared](EngineContext& context) { context.acks.announce(shared.get(), queue); };
  submit<AckResult>(
      engine, rejection, std::move(done),
      [queue = std::move(queue), shared](EngineContext& context) { return ops::ack(context, queue, *shared); },
      Commit::durable, Weight::light, std::move(announce));
}

void QueueService::change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                                     Callback<VisibilityResult> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_receipt_batch(receipts.size());
  if (!rejection) rejection = check_visibility_timeout(visibility_timeout_s);
  Engine& engine = consuming_engine(engines_, engine_for(queue), queue);
  // Shared by both lambdas: its address identifies this change in the batch (receipt_sharing.h).
  auto shared = std::make_shared<const std::vector<std::string>>(std::move(receipts));
  auto announce = [queue, shared, visibility_timeout_s](EngineContext& context) {
    ops::announce_change_visibility(context, queue, *shared, visibility_timeout_s);
  };
  submit<VisibilityResult>(
      engine, rejection, std::move(done),
      [queue = std::move(queue), shared, visibility_timeout_s](EngineContext& context) {
        return ops::change_visibility(context, queue, *shared, visibility_timeout_s);
      },
      Commit::durable, Weight::light, std::move(announce));
}

void QueueService::purge(std::string queue, Callback<PurgeResult> done) {
  auto rejection = check_queue_name(queue);
  Engine& engine = engine_for(queue);
  submit<PurgeResult>(engine, rejection, std::move(done),
                      [queue = std::move(queue)](EngineContext& context) { return ops::purge(context, queue); });
}

void QueueService::redrive(std::string dead_letter_queue, RedriveRequest request, Callback<RedriveResult> done) {
  auto rejection = check_redrive(dead_letter_queue, request);
  Engine& engine = engine_for(dead_letter_queue);
  submit<RedriveResult>(
      engine, rejection, std::move(done),
      [queue = std::move(dead_letter_queue), request = std::move(request)](EngineContext& context) {
        return ops::redrive(context, queue, request);
      });
}

void QueueService::snapshot(std::size_t max_queues, Callback<MetricsSnapshot> done) {
  // Any engine sees every queue's counts (one store, or one shared database).
  Engine& engine = *engines_[next_engine_.fetch_add(1, std::memory_order_relaxed) % engines_.size()];
  submit<MetricsSnapshot>(engine, std::nullopt, std::move(done),
                          [max_queues](EngineContext& context) { return ops::snapshot(context, max_queues); },
                          Commit::relaxed);
}

void QueueService::peek(std::string queue, PeekRequest request, Callback<PeekPage> done) {
  auto rejection = check_queue_name(queue);
  if (!rejection) rejection = check_peek(request);
  Engine& engine = engine_for(queue);
  submit<PeekPage>(engine, rejection, std::move(done),
                   [queue = std::move(queue), request = std::move(request)](EngineContext& context) {
                     return ops::peek(context, queue, request);
                   },
                   Commit::relaxed);
}

void QueueService::get_message(std::string queue, std::string message_id, Callback<PeekedMessage> done) {
  auto rejection = check_queue_name(queue);
  Engine& engine = engine_for(queue);
  submit<PeekedMessage>(engine, rejection, std::move(done),
                        [queue = std::move(queue), id = std::move(message_id)](EngineContext& context) {
                          return ops::get_message(context, queue, id);
                        },
                        Commit::relaxed);
}

void QueueService::check_health(Callback<Health> done) {
  auto tally = std::make_shared<HealthTally>(engines_.size(), std::move(done));
  for (auto& owned : engines_) {
    Engine& engine = *owned;
    submit<Health>(
        engine, std::nullopt, [tally](Result<Health> result) { tally->add(std::move(result)); },
        [&engine](EngineContext& context) -> Result<Health> {
          context.store.list_queues("", "", 1);  // a real query: the store answers
          return Health{engine.commit_count(), engine.parked_count()};
        },
        Commit::relaxed);
  }
}

}  // namespace queue::core
