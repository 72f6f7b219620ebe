#include "queue/in_process/convert.h"

#include <utility>

namespace queue::in_process {
namespace {

template <typename To, typename From, typename Convert>
std::vector<To> convert_all(std::vector<From> items, Convert convert) {
  std::vector<To> converted;
  converted.reserve(items.size());
  for (From& item : items) converted.push_back(convert(std::move(item)));
  return converted;
}

std::optional<core::DeadLetterPolicy> to_core(std::optional<contract::DeadLetterPolicy> policy) {
  if (!policy) return std::nullopt;
  return core::DeadLetterPolicy{std::move(policy->queue), policy->max_receives};
}

std::optional<contract::DeadLetterPolicy> to_contract(std::optional<core::DeadLetterPolicy> policy) {
  if (!policy) return std::nullopt;
  return contract::DeadLetterPolicy{std::move(policy->queue), policy->max_receives};
}

contract::QueueAttributes to_contract(core::QueueAttributes attributes) {
  return contract::QueueAttributes{attributes.visibility_timeout_s, attributes.retention_s,
                                   attributes.delay_s,              attributes.max_message_bytes,
                                   to_contract(std::move(attributes.dead_letter)), attributes.fifo,
                                   attributes.dedup_window_s, attributes.paused};
}

contract::QueueStats to_contract(const core::QueueStats& stats) {
  return contract::QueueStats{stats.visible,
                              stats.in_flight,
                              stats.delayed,
                              stats.oldest_age_s,
                              static_cast<std::int64_t>(stats.sent_total),
                              static_cast<std::int64_t>(stats.received_total),
                              static_cast<std::int64_t>(stats.acked_total)};
}

// Per receipt the code is what the HTTP API writes into "failed" (core::to_string), read
// back as a remote client reads it: receipt_invalid stays receipt_invalid.
std::vector<contract::ReceiptFailure> to_contract(std::vector<core::ReceiptFailure> failures) {
  return convert_all<contract::ReceiptFailure>(std::move(failures), [](core::ReceiptFailure failure) {
    contract::ErrorCode code =
        contract::parse_error_code(core::to_string(failure.code)).value_or(contract::ErrorCode::internal_error);
    return contract::ReceiptFailure{std::move(failure.receipt), code};
  });
}

std::optional<core::PeekState> to_core(contract::PeekState state) {
  switch (state) {
    case contract::PeekState::visible: return core::PeekState::visible;
    case contract::PeekState::in_flight: return core::PeekState::in_flight;
    case contract::PeekState::delayed: return core::PeekState::delayed;
  }
  return std::nullopt;
}

}  // namespace

contract::Error to_contract(core::Error error) {
  contract::Error converted;
  converted.code = core::public_code(error.code);
  converted.message = std::move(error.message);
  if (error.code == core::ErrorCode::unavailable) converted.retry_after = core::unavailable_retry_after;
  return converted;
}

core::AttributesPatch to_core(contract::QueuePatch patch) {
  core::AttributesPatch converted;
  converted.visibility_timeout_s = patch.visibility_timeout_s;
  converted.retention_s = patch.retention_s;
  converted.delay_s = patch.delay_s;
  converted.max_message_bytes = patch.max_message_bytes;
  if (patch.dead_letter) converted.dead_letter = to_core(std::move(*patch.dead_letter));
  converted.fifo = patch.fifo;
  converted.dedup_window_s = patch.dedup_window_s;
  converted.paused = patch.paused;
  return converted;
}

core::ListQueuesRequest to_core(contract::ListQueuesRequest request) {
  return core::ListQueuesRequest{std::move(request.prefix), request.limit, std::move(request.cursor)};
}

std::vector<core::OutgoingMessage> to_core(std::vector<contract::OutgoingMessage> messages) {
  return convert_all<core::OutgoingMessage>(std::move(messages), [](contract::OutgoingMessage message) {
    return core::OutgoingMessage{std::move(message.body), message.delay_s, std::move(message.attributes),
                                 std::move(message.group_id), std::move(message.dedup_id)};
  });
}

std::optional<core::PeekRequest> to_core(contract::PeekRequest request) {
  std::optional<core::PeekState> state = to_core(request.state);
  if (!state) return std::nullopt;
  return core::PeekRequest{*state, request.limit, std::move(request.cursor)};
}

core::RedriveRequest to_core(contract::RedriveRequest request) {
  return core::RedriveRequest{std::move(request.to), request.max};
}

contract::QueueInfo to_contract(core::QueueInfo queue) {
  return contract::QueueInfo{std::move(queue.name), to_contract(std::move(queue.attributes)),
                             to_contract(queue.stats), queue.created_at_ms};
}

contract::PutQueueResult to_contract(core::PutQueueResult result) {
  return contract::PutQueueResult{result.created, to_contract(std::move(result.queue))};
}

contract::QueueList to_contract(core::QueueList list) {
  return contract::QueueList{std::move(list.names), std::move(list.next_cursor)};
}

contract::Done to_contract(core::Done) { return contract::Done{}; }

contract::SendResult to_contract(core::SendResult result) { return contract::SendResult{std::move(result.ids)}; }

std::vector<contract::ReceivedMessage> to_contract(std::vector<core::ReceivedMessage> messages) {
  return convert_all<contract::ReceivedMessage>(std::move(messages), [](core::ReceivedMessage message) {
    return contract::ReceivedMessage{std::move(message.id),      std::move(message.body),
                                     std::move(message.attributes), std::move(message.receipt),
                                     message.receive_count,     message.sent_at_ms,
                                     std::move(message.group_id)};
  });
}

contract::AckResult to_contract(core::AckResult result) {
  return contract::AckResult{result.acked, to_contract(std::move(result.failed))};
}

contract::ReceiveResult to_contract(core::ReceiveResult result) {
  return contract::ReceiveResult{to_contract(std::move(result.acks)), to_contract(std::move(result.messages))};
}

contract::VisibilityResult to_contract(core::VisibilityResult result) {
  return contract::VisibilityResult{result.updated, to_contract(std::move(result.failed))};
}

contract::PeekState to_contract(core::PeekState state) {
  switch (state) {
    case core::PeekState::visible: return contract::PeekState::visible;
    case core::PeekState::in_flight: return contract::PeekState::in_flight;
    case core::PeekState::delayed: return contract::PeekState::delayed;
  }
  return contract::PeekState::visible;
}

contract::PeekedMessage to_contract(core::PeekedMessage message) {
  return contract::PeekedMessage{std::move(message.id),         std::move(message.body),
                                 std::move(message.attributes), message.receive_count,
                                 message.sent_at_ms,            message.visible_at_ms,
                                 std::move(message.group_id),   to_contract(message.state)};
}

contract::PeekPage to_contract(core::PeekPage page) {
  return contract::PeekPage{
      convert_all<contract::PeekedMessage>(std::move(page.messages),
                                           [](core::PeekedMessage message) { return to_contract(std::move(message)); }),
      std::move(page.next_cursor)};
}

contract::PurgeResult to_contract(core::PurgeResult result) { return contract::PurgeResult{result.purged}; }

contract::RedriveResult to_contract(core::RedriveResult result) { return contract::RedriveResult{result.moved}; }

}  // namespace queue::in_process
