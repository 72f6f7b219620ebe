// The values of Queue's public contract: what a caller sends and what it gets back.
//
// Plain std-only data, so that any service may include it, and the same whether the
// call stays in this process (queue/in_process) or crosses the network
// (queue/remote). Field by field these are API v1's JSON documents
// (docs/openapi.yaml): durations in whole seconds as users write them, instants in
// milliseconds since the Unix epoch, message ids as decimal strings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue/contract/errors.h"

namespace queue::contract {

struct DeadLetterPolicy {
  std::string queue;     // the dead-letter queue; must exist and be of the same kind
  int max_receives = 0;  // 1..1000: the (max_receives+1)-th delivery moves the message instead

  bool operator==(const DeadLetterPolicy&) const = default;
};

struct QueueAttributes {
  int visibility_timeout_s = 30;
  int retention_s = 345'600;
  int delay_s = 0;
  int max_message_bytes = 262'144;
  std::optional<DeadLetterPolicy> dead_letter;
  bool fifo = false;  // derived from a ".fifo" name, never changes
  int dedup_window_s = 300;
  bool paused = false;  // sends are accepted, receives answer nothing

  bool operator==(const QueueAttributes&) const = default;
};

// What create_or_update_queue changes: only the fields present.
struct QueuePatch {
  std::optional<int> visibility_timeout_s;
  std::optional<int> retention_s;
  std::optional<int> delay_s;
  std::optional<int> max_message_bytes;
  // Absent: leave as is. Present but empty: remove the policy (JSON null).
  std::optional<std::optional<DeadLetterPolicy>> dead_letter;
  std::optional<bool> fifo;
  std::optional<int> dedup_window_s;
  std::optional<bool> paused;
};

struct QueueStats {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;
  std::int64_t oldest_age_s = 0;
  // Counted by the answering Queue process since it started (reset by a restart; each
  // process of a shared PostgreSQL counts its own): rates come from their differences.
  std::int64_t sent_total = 0;
  std::int64_t received_total = 0;
  std::int64_t acked_total = 0;
};

struct QueueInfo {
  std::string name;
  QueueAttributes attributes;
  QueueStats stats;
  std::int64_t created_at_ms = 0;
};

struct PutQueueResult {
  bool created = false;  // false: it existed (updated, or unchanged)
  QueueInfo queue;
};

struct ListQueuesRequest {
  std::string prefix;   // "" lists all
  int limit = 1000;     // 1..1000
  std::string cursor;   // "" or a next_cursor from the previous page
};

struct QueueList {
  std::vector<std::string> names;          // ascending
  std::optional<std::string> next_cursor;  // absent on the last page
};

using MessageAttributes = std::map<std::string, std::string>;

struct OutgoingMessage {
  std::string body;
  std::optional<int> delay_s;           // absent: the queue's delay_s
  MessageAttributes attributes;
  std::optional<std::string> group_id;  // required on FIFO queues, rejected on standard ones
  std::optional<std::string> dedup_id;  // a repeat within the queue's dedup window enqueues nothing
};

struct SendResult {
  std::vector<std::string> ids;  // in request order; a deduplicated message gives the first one's id
};

struct ReceiveRequest {
  int max = 1;                              // 1..100
  std::optional<int> visibility_timeout_s;  // absent: the queue's
  int wait_s = 0;                           // 0..20: long poll
  // 0..100 receipts of this queue to ack first (receive_with_acks only: it answers them).
  std::vector<std::string> ack = {};
};

struct ReceivedMessage {
  std::string id;
  std::string body;
  MessageAttributes attributes;
  std::string receipt;  // valid for ack and change_visibility only while this lease is current
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
  std::optional<std::string> group_id;
};

// One receipt an ack or visibility change could not apply: code is
// ErrorCode::receipt_invalid (malformed, stale: the lease was lost, or already acked).
struct ReceiptFailure {
  std::string receipt;
  ErrorCode code = ErrorCode::receipt_invalid;
};

struct AckResult {
  std::int64_t acked = 0;
  std::vector<ReceiptFailure> failed;
};

// What receive_with_acks answers: its acks as ack() answers them, and the messages.
struct ReceiveResult {
  AckResult acks;
  std::vector<ReceivedMessage> messages;
};

struct VisibilityResult {
  std::int64_t updated = 0;
  std::vector<ReceiptFailure> failed;
};

struct PurgeResult {
  std::int64_t purged = 0;
};

struct RedriveRequest {
  std::optional<std::string> to;    // absent: each message back to the queue it died in
  std::optional<std::int64_t> max;  // 1..10000; call again while moved == max
};

struct RedriveResult {
  std::int64_t moved = 0;
};

enum class PeekState { visible, in_flight, delayed };

// The API's spelling of a state (the `state` query parameter and field), one place for
// every client of the contract.
constexpr std::string_view to_string(PeekState state) {
  switch (state) {
    case PeekState::visible: return "visible";
    case PeekState::in_flight: return "in_flight";
    case PeekState::delayed: return "delayed";
  }
  return "visible";
}

constexpr std::optional<PeekState> parse_peek_state(std::string_view text) {
  for (PeekState state : {PeekState::visible, PeekState::in_flight, PeekState::delayed}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

struct PeekRequest {
  PeekState state = PeekState::visible;
  int limit = 10;      // 1..100
  std::string cursor;  // empty: the first page; else a PeekPage::next_cursor of the same state
};

struct PeekedMessage {
  std::string id;
  std::string body;
  MessageAttributes attributes;
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
  std::int64_t visible_at_ms = 0;
  std::optional<std::string> group_id;
  PeekState state = PeekState::visible;
};

// A page of peeked messages; next_cursor, absent on the last page, asks for the next.
struct PeekPage {
  std::vector<PeekedMessage> messages;
  std::optional<std::string> next_cursor;
};

}  // namespace queue::contract
