// Worker: runs a handler over the messages of one queue, the way Sidekiq, BullMQ or
// sqs-consumer do, over any contract::QueueClient (in-process or HTTP, unchanged).
//
//   queue::worker::Worker worker(client, "orders", [](const queue::worker::Job& job) {
//     process(job.body(), job.stop_token());
//     return queue::worker::Outcome::ack();
//   }, {.concurrency = 8});
//   worker.start();
//   ...
//   worker.stop();  // or let the destructor do it; see run_until_signal() for binaries
//
// What it guarantees, and how:
//   - `concurrency` handlers at once, each on a thread of its own (handlers are
//     blocking code). One poller thread long-polls for at most as many messages as
//     there are free slots (max_batch, up to 100): a message is never leased only to
//     wait in a buffer while its visibility clock runs.
//   - Leases are kept alive by one heartbeat thread (heartbeat.h) for as long as a
//     handler runs, extensions batched 100 receipts to a call. If a lease is lost
//     anyway (refused, or expired without a successful extension), the job's stop
//     token fires and its outcome is dropped: a late ack refused with receipt_invalid
//     is counted lease_lost, never succeeded. The queue's receipts are fenced, so a
//     late ack can never delete the redelivery another consumer is working on.
//   - Acks are coalesced into batch calls (ack_batcher.h). A job succeeded once the
//     queue confirmed its ack.
//   - A handler that throws or returns Outcome::retry() hands the message back with
//     change_visibility(receipt, delay): exponential backoff with full jitter from its
//     receive_count. What ends a poison message is the queue's dead-letter policy:
//     set dead_letter.max_receives on the queue, or a message that always fails is
//     retried for as long as the queue retains it.
//   - stop(): stops polling (a parked poll is cancelled through its stop token),
//     gives back at once (visibility 0) the messages received but not started, lets
//     running handlers finish for up to drain_timeout while their leases are still
//     extended, then fires the stop tokens of the rest and waits for them (a handler
//     that ignores its token holds stop() up: handlers are cooperative), flushes the
//     acks and returns. A handler cancelled by shutdown that asks for a retry is given
//     back at once rather than after a backoff: the failure was not its message's.
//
// Delivery stays at-least-once: a handler must tolerate running again for a message
// whose ack was lost (a crash between the work and the ack).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "queue/contract/client.h"
#include "queue/worker/counters.h"
#include "queue/worker/job.h"
#include "queue/worker/options.h"

namespace queue::worker {

class AckBatcher;
class Heartbeat;
class LeaseBook;
struct Lease;

using Handler = std::function<Outcome(const Job&)>;

class Worker {
 public:
  // Throws std::invalid_argument for a null client or handler, or options out of range.
  Worker(std::shared_ptr<contract::QueueClient> client, std::string queue, Handler handler,
         WorkerOptions options = {});
  ~Worker();  // stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the threads. Idempotent; std::logic_error after stop().
  void start();
  // The graceful shutdown described above; blocks until done. Idempotent. Any thread
  // but the worker's own (a handler or a hook calling it would wait for itself).
  void stop();

  WorkerCounters counters() const;
  const std::string& queue() const { return queue_; }

 private:
  using LeasePtr = std::shared_ptr<Lease>;

  void poll(std::stop_token stop);
  std::optional<int> visibility_timeout(const std::stop_token& stop);
  // Waits for a free slot; reserves up to max_batch of them. 0 once stop is requested.
  int reserve_slots(const std::stop_token& stop);
  void accept(std::vector<contract::ReceivedMessage> messages, int reserved, int visibility_timeout_s,
              Clock::time_point sent_at);
  void pause(const std::stop_token& stop, int failures);

  void serve();
  void run(const LeasePtr& lease);
  void retry(const LeasePtr& lease, const Job& job, std::optional<std::chrono::seconds> asked,
             std::exception_ptr thrown);

  void give_back(std::vector<LeasePtr> leases);
  void drain();

  void lease_lost(const LeasePtr& lease);
  void acked(const LeasePtr& lease);
  void client_error(std::string_view operation, const contract::Error& error);
  Job job_of(const Lease& lease) const;

  const std::shared_ptr<contract::QueueClient> client_;
  const std::string queue_;
  const Handler handler_;
  const WorkerOptions options_;
  const std::shared_ptr<const Clock> clock_;
  const UnitRandom random_;
  detail::CounterCells counters_;

  std::unique_ptr<LeaseBook> book_;
  std::unique_ptr<Heartbeat> heartbeat_;
  std::unique_ptr<AckBatcher> acker_;

  // Slots and the buffer of received, unstarted leases.
  std::mutex mutex_;
  std::condition_variable_any slot_freed_;  // the poller waits here (with its stop token)
  std::condition_variable work_ready_;      // idle handler threads wait here
  std::condition_variable handler_done_;    // the drain waits here
  std::deque<LeasePtr> waiting_;
  int busy_ = 0;     // slots taken: reserved by the poller, waiting, running
  int running_ = 0;  // handlers running
  bool stopping_ = false;

  std::mutex lifecycle_mutex_;
  enum class Phase { idle, running, stopped } phase_ = Phase::idle;
  std::jthread poller_;
  std::vector<std::thread> handlers_;
};

}  // namespace queue::worker
