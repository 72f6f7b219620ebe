// The bodies of the service's operations: what each does on the engine thread,
// inside the batch transaction, once its input passed validation.h. Internal.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "queue/core/operation.h"
#include "queue/core/service.h"

namespace queue::core::ops {

Error queue_not_found(const std::string& name);

// queue_ops.cpp
Result<PutQueueResult> put_queue(EngineContext& context, const std::string& name, const AttributesPatch& patch);
Result<QueueInfo> get_queue(EngineContext& context, const std::string& name);
Result<QueueList> list_queues(EngineContext& context, const ListQueuesRequest& request);
Result<Done> delete_queue(EngineContext& context, const std::string& name);
Result<PurgeResult> purge(EngineContext& context, const std::string& name);
Result<RedriveResult> redrive(EngineContext& context, const std::string& dead_letter_queue,
                              const RedriveRequest& request);
Result<PeekPage> peek(EngineContext& context, const std::string& name, const PeekRequest& request);
Result<PeekedMessage> get_message(EngineContext& context, const std::string& name, const std::string& message_id);
Result<MetricsSnapshot> snapshot(EngineContext& context, std::size_t max_queues);

// message_ops.cpp
Result<SendResult> send(EngineContext& context, const std::string& name, const std::vector<OutgoingMessage>& messages);
Result<AckResult> ack(EngineContext& context, const std::string& name, const std::vector<std::string>& receipts);
Result<VisibilityResult> change_visibility(EngineContext& context, const std::string& name,
                                           const std::vector<std::string>& receipts, int visibility_timeout_s);
// Before the batch runs: `receipts` (kept alive by the op, their address its key)
// join their queue's one store call (receipt_sharing.h).
void announce_change_visibility(EngineContext& context, const std::string& name,
                                const std::vector<std::string>& receipts, int visibility_timeout_s);

// receive_operation.cpp: a receive is an Operation of its own because it may park.
std::unique_ptr<Operation> make_receive(std::string queue, ReceiveOptions options, std::int64_t deadline_ms,
                                        std::shared_ptr<detail::WaitState> state, Callback<ReceiveResult> done);

}  // namespace queue::core::ops
