#include "queue/in_process/client.h"

#include <algorithm>
#include <utility>

#include "queue/core/service.h"
#include "queue/core/validation.h"
#include "queue/in_process/convert.h"
#include "queue/in_process/pending_receive.h"

namespace queue::in_process {
namespace {

// The service's callback for a call whose caller waits for a contract answer.
template <typename Core, typename Contract>
core::Callback<Core> relay(contract::Callback<Contract> done) {
  return [done = std::move(done)](core::Result<Core> result) { done(to_contract_result(std::move(result))); };
}

// Both receives, once admitted: `start` is QueueService::receive or receive_with_acks.
template <typename Core, typename Contract>
void receive_through(core::QueueService& service,
                     core::ReceiveHandle (core::QueueService::*start)(std::string, core::ReceiveOptions,
                                                                      core::Callback<Core>),
                     contract::Deadline now, std::string queue, contract::ReceiveRequest request,
                     contract::CallOptions call, contract::Callback<Contract> done) {
  // Checked in seconds before the deadline may shorten it: wait_s 25 is a bad request
  // even when only 2 s are left.
  if (auto problem = core::check_wait_s(request.wait_s)) {
    done(to_contract(std::move(*problem)));
    return;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(call.deadline - now);
  auto wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(request.wait_s),
                                                  std::max(left, std::chrono::milliseconds(0)));
  core::ReceiveOptions options{request.max, request.visibility_timeout_s, static_cast<int>(wait.count()),
                               std::move(request.ack)};

  auto pending = PendingReceive<Core>::create(std::move(done));
  core::ReceiveHandle handle = (service.*start)(std::move(queue), std::move(options), pending->answer_callback());
  pending->cancel_on(std::move(call.stop), std::move(handle));
}

contract::Error invalid_request(std::string message) {
  return contract::Error{contract::ErrorCode::invalid_request, std::move(message), {}, std::nullopt};
}

}  // namespace

InProcessClient::InProcessClient(ServiceSource source, Now now) : source_(std::move(source)), now_(std::move(now)) {}

template <typename T>
std::shared_ptr<core::QueueService> InProcessClient::admit(const contract::CallOptions& call,
                                                           contract::Callback<T>& done) const {
  if (now_() >= call.deadline) {
    done(contract::Error{contract::ErrorCode::deadline_exceeded, "the call's deadline passed before it was made",
                         {}, std::nullopt});
    return nullptr;
  }
  std::shared_ptr<core::QueueService> service = source_.service ? source_.service() : nullptr;
  if (!service) {
    Unavailable why = source_.unavailable ? source_.unavailable() : Unavailable{};
    done(contract::Error{contract::ErrorCode::unavailable, std::move(why.reason), {}, why.retry_after});
  }
  return service;
}

void InProcessClient::async_put_queue(std::string name, contract::QueuePatch patch, contract::CallOptions call,
                                      contract::Callback<contract::PutQueueResult> done) {
  if (auto service = admit(call, done)) {
    service->put_queue(std::move(name), to_core(std::move(patch)), relay<core::PutQueueResult>(std::move(done)));
  }
}

void InProcessClient::async_get_queue(std::string name, contract::CallOptions call,
                                      contract::Callback<contract::QueueInfo> done) {
  if (auto service = admit(call, done)) {
    service->get_queue(std::move(name), relay<core::QueueInfo>(std::move(done)));
  }
}

void InProcessClient::async_list_queues(contract::ListQueuesRequest request, contract::CallOptions call,
                                        contract::Callback<contract::QueueList> done) {
  if (auto service = admit(call, done)) {
    service->list_queues(to_core(std::move(request)), relay<core::QueueList>(std::move(done)));
  }
}

void InProcessClient::async_delete_queue(std::string name, contract::CallOptions call,
                                         contract::Callback<contract::Done> done) {
  if (auto service = admit(call, done)) {
    service->delete_queue(std::move(name), relay<core::Done>(std::move(done)));
  }
}

void InProcessClient::async_send(std::string queue, std::vector<contract::OutgoingMessage> messages,
                                 contract::CallOptions call, contract::Callback<contract::SendResult> done) {
  if (auto service = admit(call, done)) {
    service->send(std::move(queue), to_core(std::move(messages)), relay<core::SendResult>(std::move(done)));
  }
}

void InProcessClient::async_receive(std::string queue, contract::ReceiveRequest request, contract::CallOptions call,
                                    contract::Callback<std::vector<contract::ReceivedMessage>> done) {
  if (auto service = admit(call, done)) {
    receive_through(*service, &core::QueueService::receive, now_(), std::move(queue), std::move(request),
                    std::move(call), std::move(done));
  }
}

void InProcessClient::async_receive_with_acks(std::string queue, contract::ReceiveRequest request,
                                              contract::CallOptions call,
                                              contract::Callback<contract::ReceiveResult> done) {
  if (auto service = admit(call, done)) {
    receive_through(*service, &core::QueueService::receive_with_acks, now_(), std::move(queue), std::move(request),
                    std::move(call), std::move(done));
  }
}

void InProcessClient::async_ack(std::string queue, std::vector<std::string> receipts, contract::CallOptions call,
                                contract::Callback<contract::AckResult> done) {
  if (auto service = admit(call, done)) {
    service->ack(std::move(queue), std::move(receipts), relay<core::AckResult>(std::move(done)));
  }
}

void InProcessClient::async_change_visibility(std::string queue, std::vector<std::string> receipts,
                                              int visibility_timeout_s, contract::CallOptions call,
                                              contract::Callback<contract::VisibilityResult> done) {
  if (auto service = admit(call, done)) {
    service->change_visibility(std::move(queue), std::move(receipts), visibility_timeout_s,
                               relay<core::VisibilityResult>(std::move(done)));
  }
}

void InProcessClient::async_peek(std::string queue, contract::PeekRequest request, contract::CallOptions call,
                                 contract::Callback<contract::PeekPage> done) {
  auto service = admit(call, done);
  if (!service) return;
  std::optional<core::PeekRequest> peek = to_core(std::move(request));
  if (!peek) {
    done(invalid_request("state must be visible, in_flight or delayed"));
    return;
  }
  service->peek(std::move(queue), std::move(*peek), relay<core::PeekPage>(std::move(done)));
}

void InProcessClient::async_get_message(std::string queue, std::string message_id, contract::CallOptions call,
                                        contract::Callback<contract::PeekedMessage> done) {
  if (auto service = admit(call, done)) {
    // Not relay(): GCC 12 at -O2 reports a false -Wmaybe-uninitialized in the move of
    // this Result's variant that relay's by-value hand-off inlines (see CMakeLists.txt).
    service->get_message(std::move(queue), std::move(message_id),
                         [done = std::move(done)](core::Result<core::PeekedMessage> found) {
                           if (!found.ok()) return done(to_contract(found.error()));
                           done(to_contract(std::move(found).value()));
                         });
  }
}

void InProcessClient::async_purge(std::string queue, contract::CallOptions call,
                                  contract::Callback<contract::PurgeResult> done) {
  if (auto service = admit(call, done)) {
    service->purge(std::move(queue), relay<core::PurgeResult>(std::move(done)));
  }
}

void InProcessClient::async_redrive(std::string dead_letter_queue, contract::RedriveRequest request,
                                    contract::CallOptions call, contract::Callback<contract::RedriveResult> done) {
  if (auto service = admit(call, done)) {
    service->redrive(std::move(dead_letter_queue), to_core(std::move(request)),
                     relay<core::RedriveResult>(std::move(done)));
  }
}

}  // namespace queue::in_process
