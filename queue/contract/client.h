// QueueClient: every operation of Queue's API v1 as a C++ call (ADR-0066's "public
// contract"). Raptor, workers and tools program against this interface alone; what
// carries the call is chosen where the client is made:
//   - queue/in_process: calls the QueueService of the Queue mounted in this process
//     (Phase 1): no HTTP, no JSON, no socket;
//   - queue/remote: speaks API v1 over HTTP(S) to a queue-server or to a Raptor with
//     Queue mounted (Phase 4).
// Both give the same answers, the same error codes and the same ordering guarantees;
// one conformance suite (tests/client) runs against each.
//
// Semantics shared by both transports:
//   - Sends are all or nothing, 1..100 messages, ids in request order. A send is
//     acknowledged only once durable (the queue's durability mode).
//   - A received message is leased for its visibility timeout; its receipt acks or
//     extends that lease only while it is current. An ack or visibility change answers
//     per receipt: a receipt whose lease was lost is in `failed` with receipt_invalid,
//     never counted as done (a fenced receipt: a late ack never deletes a redelivery).
//   - Standard queues: at-least-once, best-effort order. FIFO queues (".fifo"): strict
//     order per group_id, one message of a group in flight at a time.
//   - A call that fails with `unavailable` or `deadline_exceeded` may or may not have
//     taken effect (the answer was lost). Every other error means it did not.
//
// Asynchronous first. Raptor's handlers run on the web workers that Queue's own
// requests use, so they must never block one on a Queue call: they use the async_*
// form, which returns at once and answers through the callback. The blocking form
// (no prefix) is for tools, tests and worker threads of one's own.
//
// Threading: every method may be called from any thread. A callback runs exactly
// once, on a thread of the client's (the in-process client may run it inside the
// very call that registered it), and must be quick: hand real work to your own
// executor. It may call the client again asynchronously; it must never call a
// blocking method (that could wait on the thread it runs on).
//
// Every call takes CallOptions: a deadline (the call fails with deadline_exceeded once
// it passes; a long poll's wait is cut short to fit inside it) and a stop token
// (a receive that is waiting answers an empty list at once when stop is requested;
// other calls are short and ignore it).
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "queue/contract/result.h"
#include "queue/contract/types.h"

namespace queue::contract {

using Deadline = std::chrono::steady_clock::time_point;

// There is deliberately no "no deadline": a call that may wait forever is how a web
// worker gets stuck behind a dead dependency. A value-initialized CallOptions{} has a
// deadline at the clock's epoch, long past, so it fails at once with
// deadline_exceeded, loudly, rather than waiting without bound: use within().
struct CallOptions {
  Deadline deadline;
  std::stop_token stop;
};

// The usual way to make CallOptions: this call may take `timeout` from now.
inline CallOptions within(std::chrono::milliseconds timeout, std::stop_token stop = {}) {
  return CallOptions{std::chrono::steady_clock::now() + timeout, std::move(stop)};
}

template <typename T>
using Callback = std::function<void(Result<T>)>;

class QueueClient {
 public:
  virtual ~QueueClient() = default;

  // Which transport carries the calls: "in_process" or "http".
  virtual std::string_view transport() const = 0;

  // --- asynchronous: returns at once, `done` answers ---

  // Creates the queue (created = true) or applies `patch` to it.
  virtual void async_put_queue(std::string name, QueuePatch patch, CallOptions call,
                               Callback<PutQueueResult> done) = 0;
  virtual void async_get_queue(std::string name, CallOptions call, Callback<QueueInfo> done) = 0;
  virtual void async_list_queues(ListQueuesRequest request, CallOptions call, Callback<QueueList> done) = 0;
  // A queue that is another's dead-letter queue cannot be deleted (conflict).
  virtual void async_delete_queue(std::string name, CallOptions call, Callback<Done> done) = 0;

  virtual void async_send(std::string queue, std::vector<OutgoingMessage> messages, CallOptions call,
                          Callback<SendResult> done) = 0;
  // request.ack must be empty here (invalid_request): only receive_with_acks answers it.
  virtual void async_receive(std::string queue, ReceiveRequest request, CallOptions call,
                             Callback<std::vector<ReceivedMessage>> done) = 0;
  // One call per message for a consumer: acks request.ack, then receives, in one
  // commit. The acks are applied first (acking a FIFO group's head lets this very call
  // receive the group's next message), durably and once, and answered per receipt as
  // ack() answers them (a malformed or stale receipt is in acks.failed), also when a
  // long poll then finds nothing or is stopped. A call that fails as a whole applied
  // none of them, unless it failed with unavailable or deadline_exceeded (unknown);
  // over HTTP that includes a long poll stopped before its answer could arrive.
  // Not pure, so that implementations older than it (test doubles) still build; they
  // answer internal_error. Both transports implement it.
  virtual void async_receive_with_acks(std::string queue, ReceiveRequest request, CallOptions call,
                                       Callback<ReceiveResult> done) {
    (void)queue, (void)request, (void)call;
    done(Error{ErrorCode::internal_error, "this QueueClient cannot receive with acks", {}, {}});
  }
  virtual void async_ack(std::string queue, std::vector<std::string> receipts, CallOptions call,
                         Callback<AckResult> done) = 0;
  // Extends (or with 0 ends) the leases of `receipts`, counted from now.
  virtual void async_change_visibility(std::string queue, std::vector<std::string> receipts,
                                       int visibility_timeout_s, CallOptions call,
                                       Callback<VisibilityResult> done) = 0;
  virtual void async_peek(std::string queue, PeekRequest request, CallOptions call, Callback<PeekPage> done) = 0;
  // One message by the id send answered, in whatever state, unchanged by looking;
  // message_not_found once it was acked, expired or moved to another queue.
  virtual void async_get_message(std::string queue, std::string message_id, CallOptions call,
                                 Callback<PeekedMessage> done) = 0;
  virtual void async_purge(std::string queue, CallOptions call, Callback<PurgeResult> done) = 0;
  virtual void async_redrive(std::string dead_letter_queue, RedriveRequest request, CallOptions call,
                             Callback<RedriveResult> done) = 0;

  // --- blocking: the same calls, waiting for the answer on the calling thread ---

  Result<PutQueueResult> put_queue(std::string name, QueuePatch patch, CallOptions call) {
    return wait<PutQueueResult>([&](auto done) { async_put_queue(std::move(name), std::move(patch), std::move(call), std::move(done)); });
  }
  Result<QueueInfo> get_queue(std::string name, CallOptions call) {
    return wait<QueueInfo>([&](auto done) { async_get_queue(std::move(name), std::move(call), std::move(done)); });
  }
  Result<QueueList> list_queues(ListQueuesRequest request, CallOptions call) {
    return wait<QueueList>([&](auto done) { async_list_queues(std::move(request), std::move(call), std::move(done)); });
  }
  Result<Done> delete_queue(std::string name, CallOptions call) {
    return wait<Done>([&](auto done) { async_delete_queue(std::move(name), std::move(call), std::move(done)); });
  }
  Result<SendResult> send(std::string queue, std::vector<OutgoingMessage> messages, CallOptions call) {
    return wait<SendResult>([&](auto done) { async_send(std::move(queue), std::move(messages), std::move(call), std::move(done)); });
  }
  Result<std::vector<ReceivedMessage>> receive(std::string queue, ReceiveRequest request, CallOptions call) {
    return wait<std::vector<ReceivedMessage>>([&](auto done) { async_receive(std::move(queue), request, std::move(call), std::move(done)); });
  }
  Result<ReceiveResult> receive_with_acks(std::string queue, ReceiveRequest request, CallOptions call) {
    return wait<ReceiveResult>([&](auto done) {
      async_receive_with_acks(std::move(queue), std::move(request), std::move(call), std::move(done));
    });
  }
  Result<AckResult> ack(std::string queue, std::vector<std::string> receipts, CallOptions call) {
    return wait<AckResult>([&](auto done) { async_ack(std::move(queue), std::move(receipts), std::move(call), std::move(done)); });
  }
  Result<VisibilityResult> change_visibility(std::string queue, std::vector<std::string> receipts,
                                             int visibility_timeout_s, CallOptions call) {
    return wait<VisibilityResult>([&](auto done) {
      async_change_visibility(std::move(queue), std::move(receipts), visibility_timeout_s, std::move(call), std::move(done));
    });
  }
  Result<PeekPage> peek(std::string queue, PeekRequest request, CallOptions call) {
    return wait<PeekPage>([&](auto done) { async_peek(std::move(queue), std::move(request), std::move(call), std::move(done)); });
  }
  Result<PeekedMessage> get_message(std::string queue, std::string message_id, CallOptions call) {
    return wait<PeekedMessage>([&](auto done) {
      async_get_message(std::move(queue), std::move(message_id), std::move(call), std::move(done));
    });
  }
  Result<PurgeResult> purge(std::string queue, CallOptions call) {
    return wait<PurgeResult>([&](auto done) { async_purge(std::move(queue), std::move(call), std::move(done)); });
  }
  Result<RedriveResult> redrive(std::string dead_letter_queue, RedriveRequest request, CallOptions call) {
    return wait<RedriveResult>([&](auto done) { async_redrive(std::move(dead_letter_queue), std::move(request), std::move(call), std::move(done)); });
  }

 private:
  template <typename T, typename Start>
  static Result<T> wait(Start start) {
    std::promise<Result<T>> answer;
    std::future<Result<T>> answered = answer.get_future();
    start(Callback<T>([&answer](Result<T> result) { answer.set_value(std::move(result)); }));
    return answered.get();
  }
};

}  // namespace queue::contract
