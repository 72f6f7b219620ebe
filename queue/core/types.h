// The queue's value types, shared by the service (queue/core), the engines
// (queue/storage) and the HTTP layer (queue/api). Plain data, no behaviour.
//
// Durations in attributes are whole seconds (as users write them); instants are
// milliseconds since the Unix epoch from the injected Clock (see clock.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace queue::core {

// Every bound the service enforces, in one place so the HTTP layer, the OpenAPI
// document and the tests quote the same numbers.
namespace limits {
inline constexpr std::size_t queue_name_max = 80;  // characters before the optional ".fifo" suffix
inline constexpr int visibility_timeout_max_s = 43'200;
inline constexpr int retention_min_s = 60;
inline constexpr int retention_max_s = 1'209'600;
inline constexpr int delay_max_s = 900;
inline constexpr int max_message_bytes_max = 1'048'576;
inline constexpr int max_receives_max = 1'000;
inline constexpr int dedup_window_max_s = 86'400;
inline constexpr std::size_t batch_max = 100;              // messages per send, receipts per ack/visibility
inline constexpr int receive_max = 100;                    // messages per receive
inline constexpr int wait_max_ms = 20'000;                 // long-poll wait
inline constexpr int wait_max_s = wait_max_ms / 1'000;     // the same, as clients write it (wait_s)
inline constexpr int list_limit_max = 1'000;
inline constexpr int peek_limit_max = 100;
inline constexpr std::int64_t redrive_max = 10'000;        // messages moved per redrive call
inline constexpr std::size_t group_id_max = 128;           // printable ASCII
inline constexpr std::size_t dedup_id_max = 128;           // printable ASCII
inline constexpr std::size_t message_attributes_max = 50;  // entries per message
inline constexpr std::size_t attribute_key_max = 256;      // bytes
}  // namespace limits

inline constexpr std::string_view fifo_suffix = ".fifo";

struct DeadLetterPolicy {
  std::string queue;     // the dead-letter queue's name; must exist, same kind (fifo or not)
  int max_receives = 0;  // 1..1000: the (max_receives+1)-th delivery moves the message instead

  bool operator==(const DeadLetterPolicy&) const = default;
};

struct QueueAttributes {
  int visibility_timeout_s = 30;      // 0..43200
  int retention_s = 345'600;          // 60..1209600 (4 days)
  int delay_s = 0;                    // 0..900, default delay of sent messages
  int max_message_bytes = 262'144;    // 1..1048576, body plus attribute keys and values
  std::optional<DeadLetterPolicy> dead_letter;
  bool fifo = false;                  // derived from the name's ".fifo" suffix, never changes
  int dedup_window_s = 300;           // 0..86400; 0 turns deduplication off
  // Paused: sends are accepted, receives answer nothing (long polls wait out their
  // time), so an operator can stop consumers without touching their deployments.
  bool paused = false;

  bool operator==(const QueueAttributes&) const = default;
};

// What PUT /queues/{q} carries: only the fields present change.
struct AttributesPatch {
  std::optional<int> visibility_timeout_s;
  std::optional<int> retention_s;
  std::optional<int> delay_s;
  std::optional<int> max_message_bytes;
  // Absent: leave as is. Present and empty (JSON null): remove the policy.
  std::optional<std::optional<DeadLetterPolicy>> dead_letter;
  std::optional<bool> fifo;  // must agree with the name, see QueueService::put_queue
  std::optional<int> dedup_window_s;
  std::optional<bool> paused;
};

struct QueueStats {
  std::int64_t visible = 0;    // receivable now (for FIFO: including those queued behind their group's head)
  std::int64_t in_flight = 0;  // leased, lease not yet expired
  std::int64_t delayed = 0;    // not yet visible, not leased
  std::int64_t oldest_age_s = 0;  // age of the oldest message of any state; 0 when empty
  // Counted by this process since it started (QueueCounters), not by the store: a
  // dashboard computes rates from their differences.
  std::uint64_t sent_total = 0;
  std::uint64_t received_total = 0;
  std::uint64_t acked_total = 0;
};

struct QueueInfo {
  std::string name;
  QueueAttributes attributes;
  QueueStats stats;
  std::int64_t created_at_ms = 0;
};

using MessageAttributes = std::map<std::string, std::string>;

struct OutgoingMessage {
  std::string body;                     // UTF-8
  std::optional<int> delay_s;           // 0..900; absent: the queue's delay_s
  MessageAttributes attributes;         // UTF-8 keys (1..256 bytes) and values, at most 50
  std::optional<std::string> group_id;  // required on FIFO queues, rejected on standard ones
  std::optional<std::string> dedup_id;  // 1..128 printable ASCII
};

struct ReceivedMessage {
  std::string id;       // decimal digits; unique per database, never reused (also what send returned)
  std::string body;
  MessageAttributes attributes;
  std::string receipt;  // opaque; valid for ack/visibility only while this lease is current
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
  std::optional<std::string> group_id;
};

enum class PeekState { visible, in_flight, delayed };

// A message as peek shows it: no receipt, nothing changed by looking.
struct PeekedMessage {
  std::string id;
  std::string body;
  MessageAttributes attributes;
  int receive_count = 0;
  std::int64_t sent_at_ms = 0;
  std::int64_t visible_at_ms = 0;  // when it becomes (or became) receivable
  std::optional<std::string> group_id;
  PeekState state = PeekState::visible;
};

// One page of a peek. next_cursor, absent on the last page, continues it: pass it
// back with the same state. It names a position (time and id), not a message, so
// messages acked meanwhile never break a walk through the pages.
struct PeekPage {
  std::vector<PeekedMessage> messages;
  std::optional<std::string> next_cursor;
};

}  // namespace queue::core
