// The message log's on-disk records. Hand-written because no library at hand
// stores a queue this way (beanstalkd, NATS JetStream and Kafka each write their
// own): what we need is a length- and CRC-framed append format whose torn tail a
// recovery scan can find and cut.
//
// Framing (little-endian):
//   u32 crc32c   of everything after this field (length, type, payload)
//   u32 length   of the payload
//   u8  type
//   payload
// Type 0 is never written: a preallocated segment reads as zeros, so a zero header
// is "the end of what was written", and any other header whose CRC fails is a torn
// or corrupt record.
//
// Payloads (strings are u16- or u32-length-prefixed bytes):
//   segment_start  magic u64, format version u32, segment number u32
//   queue_put      queue u64, created_at i64, name s16, attributes (attribute_fields),
//                  [flags u8 (1 paused); absent when none is set, as before flags existed]
//   queue_delete   queue u64: the queue, its messages and dedup ids
//   message        id u64, queue u64, sent_at i64, visible_at i64, receive_count u32,
//                  source_queue u64 (0: none), flags u8 (1 group, 2 dedup),
//                  [group s16], [dedup_id s16, dedup_expires_at i64],
//                  attribute count u16, {key s16, value s32}..., body s32
//                  A send, or a live message copied forward by compaction (the copy
//                  carries the message's whole current state and replaces the old).
//   delete         count u32, ids u64...: acks and retention expiry
//   move           id u64, to_queue u64, source_queue u64 (0: none), reset u8,
//                  visible_at i64: a dead-letter move or a redrive
//   purge          queue u64, up_to_id u64: every message of the queue up to that id
//   received       count u32, ids u64...: one more delivery each (receive_count)
//   dedup          queue u64, dedup_id s16, message u64, expires_at i64: a dedup id
//                  outliving its message, copied forward by compaction
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "queue/core/store.h"

namespace queue::storage::log {

enum class RecordType : std::uint8_t {
  none = 0,
  segment_start = 1,
  queue_put = 2,
  queue_delete = 3,
  message = 4,
  remove = 5,  // "delete"
  move = 6,
  purge = 7,
  received = 8,
  dedup = 9,
};

inline constexpr std::size_t record_header_bytes = 9;
inline constexpr std::uint64_t segment_magic = 0x474f4c4555455551ULL;  // "QUEUELOG"
inline constexpr std::uint32_t format_version = 1;

std::uint32_t crc32c(std::string_view bytes);

// Appends one framed record to `out`; returns its framed size.
class RecordWriter {
 public:
  explicit RecordWriter(RecordType type) : type_(type) {}
  RecordWriter& u8(std::uint8_t v);
  RecordWriter& u16(std::uint16_t v);
  RecordWriter& u32(std::uint32_t v);
  RecordWriter& u64(std::uint64_t v);
  RecordWriter& i64(std::int64_t v) { return u64(static_cast<std::uint64_t>(v)); }
  RecordWriter& s16(std::string_view v);
  RecordWriter& s32(std::string_view v);
  std::size_t finish(std::string& out) const;

 private:
  RecordType type_;
  std::string payload_;
};

// Reads a payload; any read past its end makes ok() false (and returns zeros), so
// a decoder never reads outside the record however the bytes were mangled.
class RecordReader {
 public:
  explicit RecordReader(std::string_view payload) : rest_(payload) {}
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::string_view s16();
  std::string_view s32();
  bool ok() const { return ok_; }
  bool at_end() const { return rest_.empty(); }
  std::size_t remaining() const { return rest_.size(); }

 private:
  std::string_view take(std::size_t n);
  std::string_view rest_;
  bool ok_ = true;
};

// One framed record found in a buffer.
struct Framed {
  RecordType type = RecordType::none;
  std::string_view payload;
  std::size_t size = 0;  // header + payload
};

enum class FrameStatus { ok, end, bad, incomplete };
// Parses the record at the start of `bytes`: end (zero header), bad (CRC or type
// wrong, or longer than `max_record`), incomplete (needs more bytes than given).
FrameStatus parse_frame(std::string_view bytes, std::size_t max_record, Framed& out);

// --- typed payloads ---

// The fixed fields a message record starts with: all the index keeps of a message.
struct MessageFields {
  std::uint64_t id = 0;
  std::uint64_t queue = 0;
  std::int64_t sent_at_ms = 0;
  std::int64_t visible_at_ms = 0;
  std::uint32_t receive_count = 0;
  std::uint64_t source_queue = 0;
};

struct MessageRecord : MessageFields {
  std::optional<std::string> group_id;
  std::optional<std::string> dedup_id;
  std::int64_t dedup_expires_at_ms = 0;
  core::MessageAttributes attributes;
  std::string body;
};
// A message record's fields without copies of its attributes and body (recovery
// needs only these; the whole payload is still checked to be well formed).
struct MessageHead : MessageFields {
  std::optional<std::string_view> group_id;
  std::optional<std::string_view> dedup_id;
  std::int64_t dedup_expires_at_ms = 0;
  std::string_view attributes_and_body;
};
std::optional<MessageHead> decode_message_head(std::string_view payload);

void encode_message(const MessageRecord& m, std::string& out);
std::optional<MessageRecord> decode_message(std::string_view payload);

void encode_queue_put(const core::QueueRecord& queue, std::string& out);
std::optional<core::QueueRecord> decode_queue_put(std::string_view payload);

struct MoveRecord {
  std::uint64_t id = 0;
  std::uint64_t to_queue = 0;
  std::uint64_t source_queue = 0;
  bool reset_receive_count = false;
  std::int64_t visible_at_ms = 0;
};
void encode_move(const MoveRecord& move, std::string& out);
std::optional<MoveRecord> decode_move(std::string_view payload);

struct DedupRecord {
  std::uint64_t queue = 0;
  std::string dedup_id;
  std::uint64_t message = 0;
  std::int64_t expires_at_ms = 0;
};
void encode_dedup(const DedupRecord& dedup, std::string& out);
std::optional<DedupRecord> decode_dedup(std::string_view payload);

// delete and received: a list of message ids.
void encode_ids(RecordType type, std::span<const std::uint64_t> ids, std::string& out);
std::size_t ids_record_size(std::size_t count);
std::optional<std::vector<std::uint64_t>> decode_ids(std::string_view payload);

void encode_segment_start(std::uint32_t segment, std::string& out);
// The segment number, if the payload is a valid segment_start of this format.
std::optional<std::uint32_t> decode_segment_start(std::string_view payload);

void encode_queue_delete(std::uint64_t queue, std::string& out);
void encode_purge(std::uint64_t queue, std::uint64_t up_to_id, std::string& out);

}  // namespace queue::storage::log
