// Every semantic rule on input that needs no data, in one place, so every engine and
// the HTTP layer share it. Each check returns the first problem as an Error
// (invalid_request or payload_too_large) with a message naming the offending field.
// Rules that need the queue (its kind, its max_message_bytes, its dead-letter
// queue) are checked by the service on the engine thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "queue/core/errors.h"
#include "queue/core/service.h"
#include "queue/core/types.h"

namespace queue::core {

bool is_valid_utf8(std::string_view text);
bool is_fifo_name(std::string_view name);

std::optional<Error> check_queue_name(std::string_view name, std::string_view field = "queue name");
std::optional<Error> check_patch(std::string_view queue_name, const AttributesPatch& patch);
std::optional<Error> check_list_request(const ListQueuesRequest& request);
// Checks each message's own rules; the queue-dependent ones are check_for_queue().
std::optional<Error> check_messages(const std::vector<OutgoingMessage>& messages);
std::optional<Error> check_for_queue(const std::vector<OutgoingMessage>& messages, const QueueAttributes& queue);
std::optional<Error> check_receive(const ReceiveOptions& options);
// A long poll's wait as clients give it, in whole seconds (0..20), checked before it
// becomes ReceiveOptions::wait_ms: a transport may shorten the wait to fit a deadline,
// which must not turn an out-of-range wait_s into a valid one.
std::optional<Error> check_wait_s(int seconds);
std::optional<Error> check_receipt_batch(std::size_t count);
std::optional<Error> check_visibility_timeout(int seconds, std::string_view field = "visibility_timeout_s");
std::optional<Error> check_redrive(std::string_view dead_letter_queue, const RedriveRequest& request);
std::optional<Error> check_peek(const PeekRequest& request);

// The bytes max_message_bytes limits: body plus every attribute key and value.
std::size_t message_size(const OutgoingMessage& message);

// The queue's attributes after `patch`, starting from `base`.
QueueAttributes apply_patch(QueueAttributes base, const AttributesPatch& patch);

}  // namespace queue::core
