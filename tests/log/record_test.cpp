// The message log's record framing (queue/storage/log/record.h): every record type
// round-trips, and a torn, truncated or corrupted frame is never parsed as a record.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "queue/storage/log/record.h"

namespace queue::storage::log {
namespace {

constexpr std::size_t max_record = 2u << 20;

Framed parse_ok(std::string_view bytes) {
  Framed framed;
  EXPECT_EQ(parse_frame(bytes, max_record, framed), FrameStatus::ok);
  EXPECT_EQ(framed.size, bytes.size());
  return framed;
}

MessageRecord full_message() {
  MessageRecord m;
  m.id = 0x0123456789abcdefULL;
  m.queue = 7;
  m.sent_at_ms = 1'700'000'000'123;
  m.visible_at_ms = -5;  // signed values survive the u64 encoding
  m.receive_count = 42;
  m.source_queue = 3;
  m.group_id = "group";
  m.dedup_id = "dedup";
  m.dedup_expires_at_ms = 1'700'000'300'000;
  m.attributes = {{"k1", "v1"}, {"", std::string("\0bin\xff", 5)}};
  m.body = std::string(3000, 'b') + std::string("\0tail", 5);
  return m;
}

TEST(Record, EveryTypeRoundTrips) {
  {
    MessageRecord m = full_message();
    std::string bytes;
    encode_message(m, bytes);
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, RecordType::message);
    auto back = decode_message(framed.payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, m.id);
    EXPECT_EQ(back->queue, m.queue);
    EXPECT_EQ(back->sent_at_ms, m.sent_at_ms);
    EXPECT_EQ(back->visible_at_ms, m.visible_at_ms);
    EXPECT_EQ(back->receive_count, m.receive_count);
    EXPECT_EQ(back->source_queue, m.source_queue);
    EXPECT_EQ(back->group_id, m.group_id);
    EXPECT_EQ(back->dedup_id, m.dedup_id);
    EXPECT_EQ(back->dedup_expires_at_ms, m.dedup_expires_at_ms);
    EXPECT_EQ(back->attributes, m.attributes);
    EXPECT_EQ(back->body, m.body);
  }
  {
    MessageRecord bare;  // no group, no dedup, no attributes, empty body
    bare.id = 1;
    bare.queue = 1;
    std::string bytes;
    encode_message(bare, bytes);
    auto back = decode_message(parse_ok(bytes).payload);
    ASSERT_TRUE(back);
    EXPECT_FALSE(back->group_id);
    EXPECT_FALSE(back->dedup_id);
    EXPECT_TRUE(back->attributes.empty());
    EXPECT_TRUE(back->body.empty());
  }
  {
    core::QueueRecord q{12, "orders.fifo", {}, 1234};
    q.attributes.fifo = true;
    q.attributes.visibility_timeout_s = 0;
    q.attributes.dedup_window_s = 86'400;
    q.attributes.dead_letter = core::DeadLetterPolicy{"dlq.fifo", 5};
    std::string bytes;
    encode_queue_put(q, bytes);
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, RecordType::queue_put);
    auto back = decode_queue_put(framed.payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, q.id);
    EXPECT_EQ(back->name, q.name);
    EXPECT_EQ(back->created_at_ms, q.created_at_ms);
    EXPECT_EQ(back->attributes, q.attributes);
  }
  {
    MoveRecord move{99, 4, 5, true, 777};
    std::string bytes;
    encode_move(move, bytes);
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, RecordType::move);
    auto back = decode_move(framed.payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, 99u);
    EXPECT_EQ(back->to_queue, 4u);
    EXPECT_EQ(back->source_queue, 5u);
    EXPECT_TRUE(back->reset_receive_count);
    EXPECT_EQ(back->visible_at_ms, 777);
  }
  {
    DedupRecord dedup{3, "d-1", 17, 5000};
    std::string bytes;
    encode_dedup(dedup, bytes);
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, RecordType::dedup);
    auto back = decode_dedup(framed.payload);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->queue, 3u);
    EXPECT_EQ(back->dedup_id, "d-1");
    EXPECT_EQ(back->message, 17u);
    EXPECT_EQ(back->expires_at_ms, 5000);
  }
  for (RecordType type : {RecordType::remove, RecordType::received}) {
    std::vector<std::uint64_t> ids{1, 2, ~0ULL};
    std::string bytes;
    encode_ids(type, ids, bytes);
    EXPECT_EQ(bytes.size(), ids_record_size(ids.size()));
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, type);
    EXPECT_EQ(decode_ids(framed.payload), ids);
  }
  {
    std::string bytes;
    encode_segment_start(0xabcdef, bytes);
    Framed framed = parse_ok(bytes);
    ASSERT_EQ(framed.type, RecordType::segment_start);
    EXPECT_EQ(decode_segment_start(framed.payload), 0xabcdefu);
  }
  {
    std::string bytes;
    encode_queue_delete(8, bytes);
    Framed framed = parse_ok(bytes);
    EXPECT_EQ(framed.type, RecordType::queue_delete);
    EXPECT_EQ(framed.payload.size(), 8u);
    bytes.clear();
    encode_purge(8, 100, bytes);
    framed = parse_ok(bytes);
    EXPECT_EQ(framed.type, RecordType::purge);
    EXPECT_EQ(framed.payload.size(), 16u);
  }
}

TEST(Record, QueuePausedIsATrailingFlagThatOlderRecordsLack) {
  core::QueueRecord q{7, "jobs", {}, 99};
  std::string running, paused;
  encode_queue_put(q, running);
  q.attributes.paused = true;
  encode_queue_put(q, paused);
  // A running queue's record is byte for byte what builds before the flag wrote.
  const std::string_view old_payload = parse_ok(running).payload;
  const std::string_view new_payload = parse_ok(paused).payload;
  ASSERT_EQ(new_payload.size(), old_payload.size() + 1);
  EXPECT_FALSE(decode_queue_put(old_payload)->attributes.paused);
  auto back = decode_queue_put(new_payload);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->attributes, q.attributes);
  // A flag this build does not know is a record of a newer build: refused, not ignored.
  std::string unknown(new_payload);
  unknown.back() = static_cast<char>(0x03);
  EXPECT_FALSE(decode_queue_put(unknown));
  EXPECT_FALSE(decode_queue_put(std::string(new_payload) + std::string(1, '\0')));  // and nothing after the flags
}

TEST(Record, ZerosAreTheEndAndATruncatedFrameIsIncomplete) {
  Framed framed;
  EXPECT_EQ(parse_frame("", max_record, framed), FrameStatus::end);
  EXPECT_EQ(parse_frame(std::string(5, '\0'), max_record, framed), FrameStatus::end);
  EXPECT_EQ(parse_frame(std::string(4096, '\0'), max_record, framed), FrameStatus::end);

  std::string bytes;
  encode_message(full_message(), bytes);
  for (std::size_t cut = 1; cut < bytes.size(); cut += (cut < 64 ? 1 : 97)) {
    FrameStatus status = parse_frame(std::string_view(bytes).substr(0, cut), max_record, framed);
    EXPECT_EQ(status, FrameStatus::incomplete) << "cut at " << cut;
  }
  // A torn write over a zeroed tail: the frame's length says more than was written.
  std::string torn = bytes.substr(0, bytes.size() / 2) + std::string(bytes.size(), '\0');
  EXPECT_EQ(parse_frame(torn, max_record, framed), FrameStatus::bad);
}

TEST(Record, EveryFlippedBitIsCaught) {
  std::string bytes;
  encode_message(full_message(), bytes);
  for (std::size_t bit = 0; bit < bytes.size() * 8; bit += (bit < 4800 ? 1 : 61)) {
    std::string corrupt = bytes;
    corrupt[bit / 8] = static_cast<char>(corrupt[bit / 8] ^ (1 << (bit % 8)));
    Framed framed;
    FrameStatus status = parse_frame(corrupt, max_record, framed);
    // A flipped length bit may make the frame look longer than the bytes (incomplete);
    // never a record.
    EXPECT_NE(status, FrameStatus::ok) << "bit " << bit;
  }
}

TEST(Record, TypeZeroUnknownTypesAndOversizedLengthsAreBad) {
  std::string bytes;
  encode_queue_delete(1, bytes);
  Framed framed;
  std::string unknown = bytes;
  unknown[8] = 42;
  EXPECT_EQ(parse_frame(unknown, max_record, framed), FrameStatus::bad);
  std::string zero_type = bytes;
  zero_type[8] = 0;
  EXPECT_EQ(parse_frame(zero_type, max_record, framed), FrameStatus::bad);
  // Longer than the segment: bad at once, rather than waiting for bytes that cannot come.
  EXPECT_EQ(parse_frame(bytes, bytes.size() - 1, framed), FrameStatus::bad);
  std::string huge = bytes;
  huge[4] = huge[5] = huge[6] = huge[7] = '\xff';
  EXPECT_EQ(parse_frame(huge, max_record, framed), FrameStatus::bad);
}

TEST(Record, DecodersRejectPayloadsOfTheWrongShape) {
  std::string bytes;
  encode_message(full_message(), bytes);
  std::string_view payload = std::string_view(bytes).substr(record_header_bytes);
  for (std::size_t size = 0; size < payload.size(); size += (size < 200 ? 1 : 301)) {
    EXPECT_FALSE(decode_message(payload.substr(0, size))) << size;
  }
  EXPECT_FALSE(decode_message(std::string(payload) + "x"));  // trailing bytes
  std::string bad_flags(payload);
  bad_flags[44] = static_cast<char>(bad_flags[44] | 0x80);  // flags: unknown bit
  EXPECT_FALSE(decode_message(bad_flags));

  EXPECT_FALSE(decode_ids(std::string("\x02\0\0\0", 4) + std::string(8, '\1')));  // says 2, holds 1
  EXPECT_FALSE(decode_ids(std::string("\xff\xff\xff\xff", 4)));                   // says 4 billion
  EXPECT_FALSE(decode_move(std::string(32, '\0')));
  EXPECT_FALSE(decode_dedup(std::string(10, '\0')));

  core::QueueRecord q{0, "zero-id", {}, 0};  // queue ids start at 1
  bytes.clear();
  encode_queue_put(q, bytes);
  EXPECT_FALSE(decode_queue_put(std::string_view(bytes).substr(record_header_bytes)));

  bytes.clear();
  encode_segment_start(1, bytes);
  std::string other_version = bytes.substr(record_header_bytes);
  other_version[8] = 2;
  EXPECT_FALSE(decode_segment_start(other_version));
  std::string other_magic = bytes.substr(record_header_bytes);
  other_magic[0] = 'X';
  EXPECT_FALSE(decode_segment_start(other_magic));
}

}  // namespace
}  // namespace queue::storage::log
