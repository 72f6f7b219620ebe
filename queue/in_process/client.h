// The in-process transport of the contract (ADR-0066, Phase 1): QueueClient calls
// go straight to the QueueService of the Queue mounted in this process. No HTTP,
// no JSON, no socket; bodies are moved, never copied.
//
//   auto mount = queue::mount_queue(config);           // queue/api/app.h makes it
//   mount.client->async_send("exports", {{.body = job}}, contract::within(2s), done);
//
// Trusted code only: the caller is in Queue's own process, so there is no token and
// no scope check (QUEUE_API_TOKENS guards the HTTP API, which crosses a trust
// boundary; this does not). Whoever holds the client may do anything Queue can.
//
// The same answers as the HTTP API for the same request: the same checks
// (queue/core/validation.h, which the HTTP codec and the service use too) and the
// same error codes (core::public_code). While Queue's storage is not open yet, or
// after shutdown began, calls answer `unavailable` with the retry_after the HTTP
// layer would send as Retry-After.
//
// Callbacks run on the engine thread or inside the call itself (the service may
// run the batch on the calling thread: service.h, "Who runs a batch").
//
// Deadlines: a call whose deadline has already passed answers deadline_exceeded
// without reaching the service, and a receive's long poll waits at most until the
// deadline. Once handed to the service a call is never abandoned: it may be inside
// a group commit, which cannot be undone, so an answer that arrives after the
// deadline is still delivered as it is (the result, not deadline_exceeded). A
// receive's long poll is cut to end at the deadline, so no call overruns it by
// more than the commit it was in.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "queue/contract/client.h"

namespace queue::core {
class QueueService;
}

namespace queue::in_process {

// Why there is no service to call, for the `unavailable` answer.
struct Unavailable {
  std::chrono::seconds retry_after{1};
  std::string reason = "Queue is not available";
};

// Where the client finds the service. Queue's Runtime opens the storage in the
// background and shuts the service down on SIGTERM, so the client asks on every call.
struct ServiceSource {
  // The service, or null while the storage is not open yet and after shutdown began.
  std::function<std::shared_ptr<core::QueueService>()> service;
  // Asked only when `service` answered null. Unset: Unavailable{}.
  std::function<Unavailable()> unavailable;
};

class InProcessClient final : public contract::QueueClient {
 public:
  // The steady clock deadlines are measured against; tests may inject their own.
  using Now = std::function<contract::Deadline()>;

  explicit InProcessClient(ServiceSource source, Now now = [] { return std::chrono::steady_clock::now(); });

  std::string_view transport() const override { return "in_process"; }

  void async_put_queue(std::string name, contract::QueuePatch patch, contract::CallOptions call,
                       contract::Callback<contract::PutQueueResult> done) override;
  void async_get_queue(std::string name, contract::CallOptions call,
                       contract::Callback<contract::QueueInfo> done) override;
  void async_list_queues(contract::ListQueuesRequest request, contract::CallOptions call,
                         contract::Callback<contract::QueueList> done) override;
  void async_delete_queue(std::string name, contract::CallOptions call,
                          contract::Callback<contract::Done> done) override;
  void async_send(std::string queue, std::vector<contract::OutgoingMessage> messages, contract::CallOptions call,
                  contract::Callback<contract::SendResult> done) override;
  void async_receive(std::string queue, contract::ReceiveRequest request, contract::CallOptions call,
                     contract::Callback<std::vector<contract::ReceivedMessage>> done) override;
  void async_receive_with_acks(std::string queue, contract::ReceiveRequest request, contract::CallOptions call,
                               contract::Callback<contract::ReceiveResult> done) override;
  void async_ack(std::string queue, std::vector<std::string> receipts, contract::CallOptions call,
                 contract::Callback<contract::AckResult> done) override;
  void async_change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                               contract::CallOptions call, contract::Callback<contract::VisibilityResult> done) override;
  void async_peek(std::string queue, contract::PeekRequest request, contract::CallOptions call,
                  contract::Callback<contract::PeekPage> done) override;
  void async_get_message(std::string queue, std::string message_id, contract::CallOptions call,
                         contract::Callback<contract::PeekedMessage> done) override;
  void async_purge(std::string queue, contract::CallOptions call,
                   contract::Callback<contract::PurgeResult> done) override;
  void async_redrive(std::string dead_letter_queue, contract::RedriveRequest request, contract::CallOptions call,
                     contract::Callback<contract::RedriveResult> done) override;

 private:
  // The service to call, or null after answering `done` (deadline passed, no service).
  template <typename T>
  std::shared_ptr<core::QueueService> admit(const contract::CallOptions& call, contract::Callback<T>& done) const;

  ServiceSource source_;
  Now now_;
};

}  // namespace queue::in_process
