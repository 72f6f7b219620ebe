#include "queue/storage/log/record.h"

#include <isa-l/crc.h>

#include <cstring>
#include <limits>

namespace queue::storage::log {
namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) v |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
  return v;
}

constexpr std::uint8_t flag_group = 1;
constexpr std::uint8_t flag_dedup = 2;
constexpr std::uint8_t queue_flag_paused = 1;

}  // namespace

std::uint32_t crc32c(std::string_view bytes) {
  // CRC-32C (Castagnoli), the checksum of iSCSI, ext4 metadata and Kafka records.
  // ISA-L's crc32_iscsi leaves the initial and final inversions to its caller; it
  // picks the CPU's crc32 instructions at run time (a table-driven CRC was 28% of
  // recovery time). Records are far below 2 GiB (a segment's size), so `int` holds.
  auto* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data()));
  return ~crc32_iscsi(data, static_cast<int>(bytes.size()), 0xFFFFFFFFu);
}

RecordWriter& RecordWriter::u8(std::uint8_t v) {
  payload_.push_back(static_cast<char>(v));
  return *this;
}
RecordWriter& RecordWriter::u16(std::uint16_t v) {
  put_le(payload_, v, 2);
  return *this;
}
RecordWriter& RecordWriter::u32(std::uint32_t v) {
  put_le(payload_, v, 4);
  return *this;
}
RecordWriter& RecordWriter::u64(std::uint64_t v) {
  put_le(payload_, v, 8);
  return *this;
}
RecordWriter& RecordWriter::s16(std::string_view v) {
  // Every string the service lets through fits: names, group and dedup ids are
  // bounded far below, attribute keys at 256 bytes (core/types.h limits).
  u16(static_cast<std::uint16_t>(v.size()));
  payload_.append(v);
  return *this;
}
RecordWriter& RecordWriter::s32(std::string_view v) {
  u32(static_cast<std::uint32_t>(v.size()));
  payload_.append(v);
  return *this;
}

std::size_t RecordWriter::finish(std::string& out) const {
  std::size_t start = out.size();
  put_le(out, 0, 4);  // crc, filled in below
  put_le(out, payload_.size(), 4);
  out.push_back(static_cast<char>(type_));
  out.append(payload_);
  std::uint32_t crc = crc32c(std::string_view(out).substr(start + 4));
  for (int i = 0; i < 4; ++i) out[start + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return out.size() - start;
}

std::string_view RecordReader::take(std::size_t n) {
  if (!ok_ || rest_.size() < n) {
    ok_ = false;
    return {};
  }
  std::string_view taken = rest_.substr(0, n);
  rest_.remove_prefix(n);
  return taken;
}
std::uint8_t RecordReader::u8() { return static_cast<std::uint8_t>(get_le(take(1))); }
std::uint16_t RecordReader::u16() { return static_cast<std::uint16_t>(get_le(take(2))); }
std::uint32_t RecordReader::u32() { return static_cast<std::uint32_t>(get_le(take(4))); }
std::uint64_t RecordReader::u64() { return get_le(take(8)); }
std::string_view RecordReader::s16() { return take(u16()); }
std::string_view RecordReader::s32() { return take(u32()); }

FrameStatus parse_frame(std::string_view bytes, std::size_t max_record, Framed& out) {
  if (bytes.size() < record_header_bytes) {
    // A zero tail shorter than a header is the end too.
    if (bytes.find_first_not_of('\0') == std::string_view::npos) return FrameStatus::end;
    return FrameStatus::incomplete;
  }
  std::uint32_t crc = static_cast<std::uint32_t>(get_le(bytes.substr(0, 4)));
  std::uint64_t length = get_le(bytes.substr(4, 4));
  auto type = static_cast<std::uint8_t>(bytes[8]);
  if (crc == 0 && length == 0 && type == 0) return FrameStatus::end;
  if (type == 0 || type > static_cast<std::uint8_t>(RecordType::dedup)) return FrameStatus::bad;
  if (length + record_header_bytes > max_record) return FrameStatus::bad;
  if (bytes.size() < record_header_bytes + length) return FrameStatus::incomplete;
  std::string_view framed = bytes.substr(0, record_header_bytes + length);
  if (crc32c(framed.substr(4)) != crc) return FrameStatus::bad;
  out = Framed{static_cast<RecordType>(type), framed.substr(record_header_bytes), framed.size()};
  return FrameStatus::ok;
}

namespace {

RecordWriter message_writer(const MessageRecord& m) {
  RecordWriter w(RecordType::message);
  w.u64(m.id).u64(m.queue).i64(m.sent_at_ms).i64(m.visible_at_ms).u32(m.receive_count).u64(m.source_queue);
  w.u8(static_cast<std::uint8_t>((m.group_id ? flag_group : 0) | (m.dedup_id ? flag_dedup : 0)));
  if (m.group_id) w.s16(*m.group_id);
  if (m.dedup_id) w.s16(*m.dedup_id).i64(m.dedup_expires_at_ms);
  w.u16(static_cast<std::uint16_t>(m.attributes.size()));
  for (const auto& [key, value] : m.attributes) w.s16(key).s32(value);
  w.s32(m.body);
  return w;
}

}  // namespace

void encode_message(const MessageRecord& m, std::string& out) { message_writer(m).finish(out); }

std::optional<MessageHead> decode_message_head(std::string_view payload) {
  RecordReader r(payload);
  MessageHead m;
  m.id = r.u64();
  m.queue = r.u64();
  m.sent_at_ms = r.i64();
  m.visible_at_ms = r.i64();
  m.receive_count = r.u32();
  m.source_queue = r.u64();
  std::uint8_t flags = r.u8();
  if (flags & flag_group) m.group_id = r.s16();
  if (flags & flag_dedup) {
    m.dedup_id = r.s16();
    m.dedup_expires_at_ms = r.i64();
  }
  if (!r.ok() || (flags & ~(flag_group | flag_dedup)) != 0) return std::nullopt;
  m.attributes_and_body = payload.substr(payload.size() - r.remaining());
  std::uint16_t count = r.u16();
  for (std::uint16_t i = 0; i < count && r.ok(); ++i) {
    r.s16();
    r.s32();
  }
  r.s32();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return m;
}

std::optional<MessageRecord> decode_message(std::string_view payload) {
  auto head = decode_message_head(payload);
  if (!head) return std::nullopt;
  MessageRecord m;
  static_cast<MessageFields&>(m) = *head;
  if (head->group_id) m.group_id = std::string(*head->group_id);
  if (head->dedup_id) m.dedup_id = std::string(*head->dedup_id);
  m.dedup_expires_at_ms = head->dedup_expires_at_ms;
  RecordReader r(head->attributes_and_body);
  std::uint16_t count = r.u16();
  for (std::uint16_t i = 0; i < count; ++i) {
    std::string key(r.s16());
    m.attributes[std::move(key)] = std::string(r.s32());
  }
  m.body = std::string(r.s32());
  return m;
}

void encode_queue_put(const core::QueueRecord& queue, std::string& out) {
  const core::QueueAttributes& a = queue.attributes;
  RecordWriter w(RecordType::queue_put);
  w.u64(static_cast<std::uint64_t>(queue.id)).i64(queue.created_at_ms).s16(queue.name);
  w.u32(static_cast<std::uint32_t>(a.visibility_timeout_s))
      .u32(static_cast<std::uint32_t>(a.retention_s))
      .u32(static_cast<std::uint32_t>(a.delay_s))
      .u32(static_cast<std::uint32_t>(a.max_message_bytes))
      .u8(a.fifo ? 1 : 0)
      .u32(static_cast<std::uint32_t>(a.dedup_window_s))
      .u8(a.dead_letter ? 1 : 0);
  if (a.dead_letter) w.s16(a.dead_letter->queue).u32(static_cast<std::uint32_t>(a.dead_letter->max_receives));
  // Flags came after the first release: a record without them has none set.
  const std::uint8_t flags = a.paused ? queue_flag_paused : 0;
  if (flags != 0) w.u8(flags);
  w.finish(out);
}

std::optional<core::QueueRecord> decode_queue_put(std::string_view payload) {
  RecordReader r(payload);
  core::QueueRecord q;
  q.id = static_cast<std::int64_t>(r.u64());
  q.created_at_ms = r.i64();
  q.name = std::string(r.s16());
  core::QueueAttributes& a = q.attributes;
  a.visibility_timeout_s = static_cast<int>(r.u32());
  a.retention_s = static_cast<int>(r.u32());
  a.delay_s = static_cast<int>(r.u32());
  a.max_message_bytes = static_cast<int>(r.u32());
  a.fifo = r.u8() != 0;
  a.dedup_window_s = static_cast<int>(r.u32());
  if (r.u8() != 0) {
    core::DeadLetterPolicy policy;
    policy.queue = std::string(r.s16());
    policy.max_receives = static_cast<int>(r.u32());
    a.dead_letter = std::move(policy);
  }
  if (r.ok() && !r.at_end()) {
    const std::uint8_t flags = r.u8();
    if ((flags & ~queue_flag_paused) != 0) return std::nullopt;  // written by a newer build
    a.paused = (flags & queue_flag_paused) != 0;
  }
  if (!r.ok() || !r.at_end() || q.id <= 0) return std::nullopt;
  return q;
}

void encode_move(const MoveRecord& move, std::string& out) {
  RecordWriter(RecordType::move)
      .u64(move.id)
      .u64(move.to_queue)
      .u64(move.source_queue)
      .u8(move.reset_receive_count ? 1 : 0)
      .i64(move.visible_at_ms)
      .finish(out);
}

std::optional<MoveRecord> decode_move(std::string_view payload) {
  RecordReader r(payload);
  MoveRecord m;
  m.id = r.u64();
  m.to_queue = r.u64();
  m.source_queue = r.u64();
  m.reset_receive_count = r.u8() != 0;
  m.visible_at_ms = r.i64();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return m;
}

void encode_dedup(const DedupRecord& dedup, std::string& out) {
  RecordWriter(RecordType::dedup).u64(dedup.queue).s16(dedup.dedup_id).u64(dedup.message).i64(dedup.expires_at_ms).finish(out);
}

std::optional<DedupRecord> decode_dedup(std::string_view payload) {
  RecordReader r(payload);
  DedupRecord d;
  d.queue = r.u64();
  d.dedup_id = std::string(r.s16());
  d.message = r.u64();
  d.expires_at_ms = r.i64();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return d;
}

void encode_ids(RecordType type, std::span<const std::uint64_t> ids, std::string& out) {
  RecordWriter w(type);
  w.u32(static_cast<std::uint32_t>(ids.size()));
  for (std::uint64_t id : ids) w.u64(id);
  w.finish(out);
}

std::size_t ids_record_size(std::size_t count) { return record_header_bytes + 4 + 8 * count; }

std::optional<std::vector<std::uint64_t>> decode_ids(std::string_view payload) {
  RecordReader r(payload);
  std::uint32_t count = r.u32();
  if (!r.ok() || payload.size() != 4 + std::size_t{count} * 8) return std::nullopt;
  std::vector<std::uint64_t> ids(count);
  for (auto& id : ids) id = r.u64();
  return ids;
}

void encode_segment_start(std::uint32_t segment, std::string& out) {
  RecordWriter(RecordType::segment_start).u64(segment_magic).u32(format_version).u32(segment).finish(out);
}

std::optional<std::uint32_t> decode_segment_start(std::string_view payload) {
  RecordReader r(payload);
  if (r.u64() != segment_magic || r.u32() != format_version) return std::nullopt;
  std::uint32_t segment = r.u32();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return segment;
}

void encode_queue_delete(std::uint64_t queue, std::string& out) {
  RecordWriter(RecordType::queue_delete).u64(queue).finish(out);
}

void encode_purge(std::uint64_t queue, std::uint64_t up_to_id, std::string& out) {
  RecordWriter(RecordType::purge).u64(queue).u64(up_to_id).finish(out);
}

}  // namespace queue::storage::log
