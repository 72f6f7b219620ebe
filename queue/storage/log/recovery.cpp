// LogStore: recovery. Reads every segment in order and replays its records into
// the index (the same Index functions the operations use). The last segment ends
// at its first torn or bad record: it is cut there (Segments::open_for_append), so
// what a crash left half-written is never read back. A bad record in an earlier
// segment (which only corruption or a power loss in `os` mode can leave) ends that
// segment's replay, loudly. No record whose CRC fails is ever applied.
//
// Queues: compaction copies a live queue's record forward, to the end of the log,
// past records of its messages in later segments. So a record may refer to a queue
// whose record comes later: if the first replay meets one, the queue records it
// collected are known and a second replay creates such a queue when first referred
// to (queue ids are never reused, so the later record is the same queue's).
//
// Recovery time grows with what the log holds: live messages plus the dead ones
// compaction has not reclaimed yet. (A snapshot of the index would bound it; the
// scan reads ~1 GB/s here, see docs/architecture.md.)
#include <algorithm>
#include <limits>

#include "common/log.h"
#include "queue/storage/log/log_store.h"

namespace queue::storage::log {
namespace {

constexpr std::uint64_t max_id32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t max_message_id = std::uint64_t{1} << 62;

}  // namespace

void LogStore::recover() {
  compacting_segment_ = 0;
  compacting_bytes_ = {};
  queue_records_.clear();
  std::vector<std::uint32_t> with_records;
  std::vector<std::uint32_t> empty;
  std::uint64_t end = 0;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      if (!queue_missing_) break;
      index_.clear();  // replay again, now knowing every queue record in the log
    }
    segments_.reset();
    deleted_queues_.clear();
    queue_missing_ = false;
    with_records.clear();
    empty.clear();
    end = 0;
    for (std::uint32_t number : segments_.existing()) {
      Segments::Bytes bytes = segments_.read_all(number);
      std::string_view rest = bytes.view();
      Framed framed;
      if (parse_frame(rest, options_.segment_bytes, framed) != FrameStatus::ok ||
          framed.type != RecordType::segment_start || decode_segment_start(framed.payload) != number) {
        empty.push_back(number);  // allocated but never written (or its first write torn)
        continue;
      }
      std::size_t offset = framed.size;
      for (;;) {
        FrameStatus status = parse_frame(rest.substr(offset), options_.segment_bytes, framed);
        if (status == FrameStatus::ok) {
          Location where{number, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(framed.size)};
          if (apply(framed, where)) {
            offset += framed.size;
            continue;
          }
        }
        if (status != FrameStatus::end) {
          common::log::warn("message log: a segment ends in a torn or corrupt record; replay stops there",
                            {{"segment", std::to_string(number)}, {"offset", std::to_string(offset)}});
        }
        break;
      }
      with_records.push_back(number);
      end = offset;
    }
  }
  queue_records_.clear();
  deleted_queues_.clear();
  // Empty segments below the last written one are holes nothing can use in order.
  std::vector<std::uint32_t> spares;
  std::optional<std::uint32_t> last;
  if (!with_records.empty()) last = with_records.back();
  for (std::uint32_t number : empty) {
    if (last && number < *last) {
      segments_.remove_file(number);
    } else {
      spares.push_back(number);
    }
  }
  segments_.open_for_append(last, end, with_records, spares);
  next_message_id_ = std::max(next_message_id_, index_.max_message_id() + 1);
  next_queue_id_ = std::max(next_queue_id_, index_.max_queue_id() + 1);
}

bool LogStore::apply(const Framed& record, Location where) {
  switch (record.type) {
    case RecordType::queue_put: {
      auto queue = decode_queue_put(record.payload);
      if (!queue || static_cast<std::uint64_t>(queue->id) > max_id32) return false;
      if (QueueState* named = index_.queue_named(queue->name); named && named->record.id != queue->id) return false;
      // A queue never changes name or kind; a record saying otherwise is corrupt (the
      // index keys names by the first, and FIFO groups exist only on FIFO queues).
      if (QueueState* same = index_.queue(static_cast<std::uint64_t>(queue->id));
          same && (same->record.name != queue->name || same->record.attributes.fifo != queue->attributes.fifo)) {
        return false;
      }
      queue_records_.try_emplace(static_cast<std::uint64_t>(queue->id), *queue, where);
      index_.put_queue(*queue, where);
      return true;
    }
    case RecordType::queue_delete: {
      RecordReader reader(record.payload);
      std::uint64_t queue = reader.u64();
      if (!reader.ok() || !reader.at_end()) return false;
      deleted_queues_.insert(queue);
      index_.delete_queue(queue);
      return true;
    }
    case RecordType::message: {
      auto message = decode_message_head(record.payload);
      if (!message || message->queue > max_id32 || message->source_queue > max_id32) return false;
      // Ids count up from 1 and instants are ms since 1970: anything else is corrupt
      // (an id near 2^64 would make the next send's id wrap onto live messages, a
      // negative instant overflow the ages computed from it).
      if (message->id == 0 || message->id > max_message_id || message->sent_at_ms < 0 || message->visible_at_ms < 0) {
        return false;
      }
      std::optional<std::string> group;
      if (message->group_id) group.emplace(*message->group_id);
      known_queue(message->queue);
      index_.insert_message(*message, group ? &*group : nullptr, where, std::nullopt);
      if (message->dedup_id && index_.table().find(message->id)) {
        index_.put_dedup(message->queue, std::string(*message->dedup_id),
                         DedupEntry{message->id, message->dedup_expires_at_ms, where.segment, where.offset});
      }
      return true;
    }
    case RecordType::remove:
    case RecordType::received: {
      auto ids = decode_ids(record.payload);
      if (!ids) return false;
      for (std::uint64_t id : *ids) {
        if (record.type == RecordType::remove) {
          index_.remove_message(id);
        } else {
          index_.count_delivery(id);
        }
      }
      return true;
    }
    case RecordType::move: {
      auto move = decode_move(record.payload);
      if (!move || move->to_queue > max_id32 || move->source_queue > max_id32 || move->visible_at_ms < 0) return false;
      known_queue(move->to_queue);
      index_.move_message(move->id, move->to_queue, move->source_queue, move->reset_receive_count,
                          move->visible_at_ms, std::nullopt);
      return true;
    }
    case RecordType::purge: {
      RecordReader reader(record.payload);
      std::uint64_t queue = reader.u64();
      std::uint64_t up_to = reader.u64();
      if (!reader.ok() || !reader.at_end()) return false;
      known_queue(queue);
      index_.purge(queue, up_to);
      return true;
    }
    case RecordType::dedup: {
      auto dedup = decode_dedup(record.payload);
      if (!dedup) return false;
      known_queue(dedup->queue);
      index_.put_dedup(dedup->queue, dedup->dedup_id,
                       DedupEntry{dedup->message, dedup->expires_at_ms, where.segment, where.offset});
      return true;
    }
    case RecordType::segment_start:
    case RecordType::none:
      return false;
  }
  return false;
}

void LogStore::known_queue(std::uint64_t id) {
  if (index_.queue(id) || deleted_queues_.contains(id)) return;
  auto later = queue_records_.find(id);
  if (later == queue_records_.end()) {
    queue_missing_ = true;  // its record may lie further on: replay again knowing it
    return;
  }
  const auto& [record, where] = later->second;
  if (!index_.queue_named(record.name)) index_.put_queue(record, where);
}

}  // namespace queue::storage::log
