// Queue's JSON wire format <-> queue/core's types, with no HTTP in between.
//
// Parsers are strict: a wrong type, an unknown field, a number out of its range or
// a body that is not a JSON object is an invalid_request naming the field, never a
// default silently applied and never an exception. They take the raw body, so the
// libFuzzer targets in tests/fuzz call them exactly as the routes do. Ranges come
// from core::limits, the one place every layer reads them from; the service checks
// again what needs the queue (its kind, its max_message_bytes).
//
// Renderers build the documents the routes answer with (docs/openapi.yaml has the
// schemas). Instants are RFC 3339 UTC with milliseconds (timestamps.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "queue/core/errors.h"
#include "queue/core/service.h"
#include "queue/core/types.h"

namespace queue::api {

// --- requests ---

// PUT /queues/{q}: every attribute optional; "dead_letter": null removes the policy.
// An empty body is no change.
core::Result<core::AttributesPatch> parse_put_queue_body(std::string_view body);

// POST /queues/{q}/messages: {"messages":[{"body","delay_s"?,"attributes"?,"group_id"?,"dedup_id"?}]}.
struct ParsedSend {
  std::vector<core::OutgoingMessage> messages;
};
// Also applies every per-message rule that needs no queue (core::check_messages), so
// it may answer payload_too_large for a message above the largest queue limit.
core::Result<ParsedSend> parse_send_body(std::string_view body);

// POST /queues/{q}/receive: {"max"?,"visibility_timeout_s"?,"wait_s"?,"ack"?}; empty body:
// defaults. "ack" holds 1..100 strings, as the ack route's "receipts".
core::Result<core::ReceiveOptions> parse_receive_body(std::string_view body);

// POST /queues/{q}/ack: {"receipts":[...]}, 1..100 strings.
core::Result<std::vector<std::string>> parse_ack_body(std::string_view body);

// POST /queues/{q}/visibility: {"receipts":[...],"visibility_timeout_s"}.
struct VisibilityChange {
  std::vector<std::string> receipts;
  int visibility_timeout_s = 0;
};
core::Result<VisibilityChange> parse_visibility_body(std::string_view body);

// POST /queues/{q}/redrive: {"to"?,"max"?}; empty body: every dead letter back to its source.
core::Result<core::RedriveRequest> parse_redrive_body(std::string_view body);

// POST /queues/{q}/purge takes no fields: an empty body or {}.
core::Result<core::Done> parse_empty_body(std::string_view body);

// GET /queues/{q}/messages?state=: "visible", "in_flight" or "delayed".
core::Result<core::PeekState> parse_peek_state(std::string_view text);

// --- responses ---

// {"name","attributes":{...},"stats":{...},"created_at"}
boost::json::object queue_json(const core::QueueInfo& queue);
// {"queues":[names...],"next_cursor":null|"..."}
boost::json::object queue_list_json(const std::vector<std::string>& names,
                                    const std::optional<std::string>& next_cursor);
// {"messages":[{"id"}...]}
boost::json::object sent_json(const core::SendResult& result);
// {"messages":[{"id","body","attributes","receipt","receive_count","sent_at","group_id"?}...]}
boost::json::object received_json(const std::vector<core::ReceivedMessage>& messages);
// {"acked":n,"failed":[{"receipt","code"}...]}
boost::json::object acked_json(const core::AckResult& result);
// A receive that carried "ack": received_json's document plus "acks": acked_json(...).
boost::json::object received_with_acks_json(const core::ReceiveResult& result);
// {"updated":n,"failed":[{"receipt","code"}...]}
boost::json::object visibility_json(const core::VisibilityResult& result);
// {"purged":n}
boost::json::object purged_json(const core::PurgeResult& result);
// {"moved":n}
boost::json::object redriven_json(const core::RedriveResult& result);
// {"messages":[{"id","body","attributes","receive_count","sent_at","visible_at","group_id"?}...]}
// One peeked message, with its state; a page of them, with next_cursor unless last.
boost::json::object peeked_message_json(const core::PeekedMessage& message);
boost::json::object peek_page_json(const core::PeekPage& page);

}  // namespace queue::api
