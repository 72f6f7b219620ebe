#include "queue/worker/worker.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "queue/worker/ack_batcher.h"
#include "queue/worker/batches.h"
#include "queue/worker/heartbeat.h"
#include "queue/worker/lease.h"
#include "queue/worker/lease_book.h"

namespace queue::worker {

namespace {

constexpr int max_wait_s = 20;  // API v1's longest long poll

void check_options(const WorkerOptions& options) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("WorkerOptions: ") + what);
  };
  require(options.concurrency >= 1, "concurrency must be at least 1");
  require(options.max_batch >= 1 && options.max_batch <= static_cast<int>(max_receipts_per_call),
          "max_batch must be 1..100");
  require(options.wait_s >= 0 && options.wait_s <= max_wait_s, "wait_s must be 0..20");
  require(!options.visibility_timeout_s || *options.visibility_timeout_s >= 1,
          "visibility_timeout_s must be at least 1 (a lease the heartbeat can extend)");
  require(options.extend_when_remaining > 0.0 && options.extend_when_remaining < 1.0,
          "extend_when_remaining must be in (0, 1)");
  require(options.heartbeat_interval.count() > 0, "heartbeat_interval must be positive");
  require(options.call_timeout.count() > 0, "call_timeout must be positive");
  require(options.ack_batch_max >= 1 && options.ack_batch_max <= static_cast<int>(max_receipts_per_call),
          "ack_batch_max must be 1..100");
}

// A hook is the app's code: its exceptions must not take a worker thread down.
template <typename Hook, typename... Args>
void call_hook(const Hook& hook, Args&&... args) {
  if (!hook) return;
  try {
    hook(std::forward<Args>(args)...);
  } catch (...) {
  }
}

}  // namespace

Worker::Worker(std::shared_ptr<contract::QueueClient> client, std::string queue, Handler handler,
               WorkerOptions options)
    : client_(std::move(client)),
      queue_(std::move(queue)),
      handler_(std::move(handler)),
      options_(std::move(options)),
      clock_(options_.clock ? options_.clock : std::make_shared<SteadyClock>()),
      random_(options_.random ? options_.random : default_unit_random()) {
  if (!client_) throw std::invalid_argument("Worker: client is null");
  if (!handler_) throw std::invalid_argument("Worker: handler is empty");
  check_options(options_);

  book_ = std::make_unique<LeaseBook>();
  LeaseEvents events{
      .lost = [this](const LeasePtr& lease) { lease_lost(lease); },
      .acked = [this](const LeasePtr& lease) { acked(lease); },
      .client_error = [this](std::string_view operation, const contract::Error& error) {
        client_error(operation, error);
      },
  };
  heartbeat_ = std::make_unique<Heartbeat>(
      *client_, queue_, *book_, *clock_,
      HeartbeatOptions{options_.heartbeat_interval, options_.extend_when_remaining, options_.call_timeout}, events);
  acker_ = std::make_unique<AckBatcher>(
      *client_, queue_, *book_,
      AckOptions{options_.ack_flush_delay, static_cast<std::size_t>(options_.ack_batch_max), options_.ack_retry_pause,
                 options_.call_timeout},
      events);
}

Worker::~Worker() { stop(); }

void Worker::start() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (phase_ == Phase::running) return;
  if (phase_ == Phase::stopped) throw std::logic_error("Worker: start() after stop()");
  phase_ = Phase::running;
  heartbeat_->start();
  acker_->start();
  handlers_.reserve(static_cast<std::size_t>(options_.concurrency));
  for (int i = 0; i < options_.concurrency; ++i) handlers_.emplace_back([this] { serve(); });
  poller_ = std::jthread([this](std::stop_token stop) { poll(std::move(stop)); });
}

void Worker::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (phase_ != Phase::running) {
    phase_ = Phase::stopped;
    return;
  }
  phase_ = Phase::stopped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;  // no handler thread starts another job
  }
  work_ready_.notify_all();
  poller_.request_stop();  // cancels a parked receive through its CallOptions::stop
  poller_.join();

  // What was received but not started goes back at once: another worker can start it
  // now rather than when its lease would have run out.
  std::vector<LeasePtr> unstarted;
  {
    std::lock_guard lock(mutex_);
    unstarted.assign(std::make_move_iterator(waiting_.begin()), std::make_move_iterator(waiting_.end()));
    waiting_.clear();
  }
  give_back(std::move(unstarted));

  drain();
  for (std::thread& thread : handlers_) thread.join();
  handlers_.clear();
  acker_->stop();      // flushes the last acks, while their leases are still extended
  heartbeat_->stop();  // last: it kept the leases of draining jobs alive
}

WorkerCounters Worker::counters() const {
  auto read = [](const std::atomic<std::uint64_t>& cell) { return cell.load(std::memory_order_relaxed); };
  return WorkerCounters{
      .received = read(counters_.received),
      .succeeded = read(counters_.succeeded),
      .failed = read(counters_.failed),
      .retried = read(counters_.retried),
      .lease_lost = read(counters_.lease_lost),
      .in_flight = book_->size(),
  };
}

// --- the poller ---

void Worker::poll(std::stop_token stop) {
  std::optional<int> visibility_s = options_.visibility_timeout_s;
  int failures = 0;
  while (!stop.stop_requested()) {
    if (!visibility_s) {
      visibility_s = visibility_timeout(stop);
      if (!visibility_s) {
        pause(stop, ++failures);
        continue;
      }
    }
    const int slots = reserve_slots(stop);
    if (slots == 0) break;
    const contract::ReceiveRequest request{.max = slots, .visibility_timeout_s = visibility_s, .wait_s = options_.wait_s};
    // The lease is counted from before the call: the queue's can only end later.
    const Clock::time_point sent_at = clock_->now();
    // The deadline leaves the long poll its whole wait plus a call's time to answer,
    // so the client never has to cut the wait short.
    const contract::CallOptions call{
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.wait_s) + options_.call_timeout, stop};
    auto received = client_->receive(queue_, request, call);
    if (!received) {
      accept({}, slots, *visibility_s, sent_at);
      if (!stop.stop_requested()) {
        client_error("receive", received.error());
        pause(stop, ++failures);
      }
      continue;
    }
    failures = 0;
    accept(std::move(received).value(), slots, *visibility_s, sent_at);
  }
}

std::optional<int> Worker::visibility_timeout(const std::stop_token& stop) {
  auto info = client_->get_queue(queue_, contract::within(options_.call_timeout, stop));
  if (!info) {
    if (!stop.stop_requested()) client_error("get_queue", info.error());
    return std::nullopt;
  }
  return info->attributes.visibility_timeout_s;
}

int Worker::reserve_slots(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  slot_freed_.wait(lock, stop, [&] { return busy_ < options_.concurrency; });
  if (stop.stop_requested()) return 0;
  const int slots = std::min(options_.concurrency - busy_, options_.max_batch);
  busy_ += slots;
  return slots;
}

void Worker::accept(std::vector<contract::ReceivedMessage> messages, int reserved, int visibility_timeout_s,
                    Clock::time_point sent_at) {
  std::vector<LeasePtr> leases;
  leases.reserve(messages.size());
  for (contract::ReceivedMessage& message : messages) {
    auto lease = std::make_shared<Lease>(std::move(message), visibility_timeout_s,
                                         sent_at + std::chrono::seconds(visibility_timeout_s));
    book_->add(lease);
    leases.push_back(std::move(lease));
  }
  detail::bump(counters_.received, leases.size());
  {
    std::lock_guard lock(mutex_);
    // Slots reserved but not filled are free again (a queue answering more than asked
    // would only overfill them, never crash the count).
    busy_ += static_cast<int>(leases.size()) - reserved;
    for (LeasePtr& lease : leases) waiting_.push_back(std::move(lease));
  }
  for (std::size_t i = 0; i < leases.size(); ++i) work_ready_.notify_one();
  if (static_cast<int>(leases.size()) < reserved) slot_freed_.notify_one();
}

void Worker::pause(const std::stop_token& stop, int failures) {
  const auto delay = full_jitter_delay(options_.receive_backoff, failures, random_());
  std::unique_lock lock(mutex_);
  slot_freed_.wait_for(lock, stop, delay, [] { return false; });
}

// --- the handler threads ---

void Worker::serve() {
  while (true) {
    LeasePtr lease;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;  // stop() gives back what still waits
      lease = std::move(waiting_.front());
      waiting_.pop_front();
      ++running_;
    }
    run(lease);
    {
      std::lock_guard lock(mutex_);
      --busy_;
      --running_;
    }
    slot_freed_.notify_one();
    handler_done_.notify_all();
  }
}

void Worker::run(const LeasePtr& lease) {
  std::optional<Clock::time_point> deadline;
  if (options_.handler_timeout) deadline = clock_->now() + *options_.handler_timeout;
  if (!book_->start(lease, deadline)) return;  // lost while it waited, and reported then

  const Job job = job_of(*lease);
  call_hook(options_.hooks.on_started, job);
  std::optional<Outcome> outcome;
  std::exception_ptr thrown;
  try {
    outcome = handler_(job);
  } catch (...) {
    thrown = std::current_exception();
    detail::bump(counters_.failed);
  }
  if (outcome && outcome->kind() == Outcome::Kind::ack) {
    // False: the lease was lost while the handler ran; its outcome is dropped.
    if (book_->settle(lease, LeaseState::ack_pending)) acker_->add(lease);
    return;
  }
  retry(lease, job, outcome ? outcome->delay() : std::nullopt, thrown);
}

void Worker::retry(const LeasePtr& lease, const Job& job, std::optional<std::chrono::seconds> asked,
                   std::exception_ptr thrown) {
  std::chrono::seconds delay = asked ? *asked : retry_delay(options_.retry_backoff, job.receive_count(), random_());
  if (job.stop_reason() == StopReason::shutdown) delay = std::chrono::seconds(0);
  if (!book_->settle(lease, LeaseState::retrying)) return;  // lost: dropped

  auto answer = client_->change_visibility(queue_, {lease->message.receipt}, static_cast<int>(delay.count()),
                                           contract::within(options_.call_timeout));
  if (answer && !answer->failed.empty()) {
    if (book_->remove(lease)) lease_lost(lease);
    return;
  }
  // A failed call still retries: the lease runs out and the message comes back, only
  // later than asked.
  if (!answer) client_error("change_visibility", answer.error());
  if (!book_->remove(lease)) return;
  detail::bump(counters_.retried);
  call_hook(options_.hooks.on_failed, job, Failure{thrown, delay});
}

// --- shutdown ---

void Worker::give_back(std::vector<LeasePtr> leases) {
  std::erase_if(leases, [&](const LeasePtr& lease) { return !book_->remove(lease); });
  for_each_chunk(leases, max_receipts_per_call, [&](std::span<const LeasePtr> chunk) {
    auto answer = client_->change_visibility(queue_, receipts_of(chunk), 0, contract::within(options_.call_timeout));
    if (!answer) client_error("change_visibility", answer.error());
  });
}

void Worker::drain() {
  const Clock::time_point deadline = clock_->now() + options_.drain_timeout;
  std::unique_lock lock(mutex_);
  // Wakes on each finished handler, and every heartbeat interval to look at the clock.
  while (running_ > 0 && clock_->now() < deadline) {
    handler_done_.wait_for(lock, options_.heartbeat_interval);
  }
  if (running_ == 0) return;
  lock.unlock();
  for (const LeasePtr& lease : book_->running()) lease->cancel(StopReason::shutdown);
  lock.lock();
  handler_done_.wait(lock, [&] { return running_ == 0; });
}

// --- events ---

void Worker::lease_lost(const LeasePtr& lease) {
  lease->cancel(StopReason::lease_lost);
  detail::bump(counters_.lease_lost);
  call_hook(options_.hooks.on_lease_lost, job_of(*lease));
}

void Worker::acked(const LeasePtr& lease) {
  detail::bump(counters_.succeeded);
  call_hook(options_.hooks.on_succeeded, job_of(*lease));
}

void Worker::client_error(std::string_view operation, const contract::Error& error) {
  call_hook(options_.hooks.on_client_error, operation, error);
}

Job Worker::job_of(const Lease& lease) const {
  return Job(lease.message, lease.stop.get_token(), queue_, &lease.stop_reason);
}

}  // namespace queue::worker
