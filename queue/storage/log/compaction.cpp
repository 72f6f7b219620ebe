// LogStore: reclaiming space, run by the retention sweep (a bounded amount each
// time, on the engine thread, inside the sweep's transaction).
//
// Segments are deleted oldest first only: a segment's deletes may be what keeps an
// older segment's messages dead, so it must outlive every older one. The oldest
// segment goes as soon as nothing in it is live. If little of it is live (a quarter
// or less), or the log as a whole is mostly dead (dead bytes more than twice the
// live ones, beanstalkd's rule, so a long-lived backlog cannot pin every later
// segment), its live records are copied forward, with their current state, into
// the current segment; the copies are synced before the segment is deleted.
#include "queue/storage/log/log_store.h"

namespace queue::storage::log {

void LogStore::reclaim_space(std::int64_t now_ms) {
  std::vector<std::uint32_t> in_use = segments_.in_use();
  std::int64_t live_bytes = 0;
  for (const auto& [segment, use] : index_.use()) live_bytes += use.bytes;
  const auto total_bytes = static_cast<std::int64_t>(in_use.size() * options_.segment_bytes);
  for (std::uint32_t segment : in_use) {
    if (segment == segments_.current()) break;
    SegmentUse use = index_.use_of(segment);
    if (use.items == 0) {
      to_remove_.push_back(segment);
      continue;
    }
    bool mostly_dead = use.bytes * 4 <= static_cast<std::int64_t>(options_.segment_bytes);
    bool log_mostly_dead = total_bytes - live_bytes > 2 * live_bytes;
    if ((mostly_dead || log_mostly_dead) && copy_forward(segment, options_.compaction_bytes_per_pass, now_ms)) {
      to_remove_.push_back(segment);
    }
    break;
  }
}

bool LogStore::copy_forward(std::uint32_t segment, std::uint64_t budget, std::int64_t now_ms) {
  if (compacting_segment_ != segment) {
    compacting_bytes_ = segments_.read_all(segment);
    compacting_segment_ = segment;
    compacting_offset_ = 0;
  }
  // Deliveries not yet recorded go first, so a copy's receive_count is not counted twice.
  flush_deliveries(/*force=*/true);
  // Copying frees the segment once done. When all that is still live in it fits in
  // the space kept beyond the acks' reserve, the copies may use the slack too:
  // otherwise a disk filled and then drained one ack at a time (each ack and its
  // delivery record eat into the slack) keeps an oldest segment pinned by a queue's
  // record forever, and sends never work again.
  const bool use_slack = has_room(static_cast<std::uint64_t>(index_.use_of(segment).bytes), 0, true);
  std::string_view bytes = compacting_bytes_.view();
  std::uint64_t copied = 0;
  while (copied < budget && compacting_offset_ < bytes.size()) {
    Framed framed;
    if (parse_frame(bytes.substr(compacting_offset_), options_.segment_bytes, framed) != FrameStatus::ok) break;
    const auto offset = static_cast<std::uint32_t>(compacting_offset_);
    auto here = [&](std::uint32_t s, std::uint32_t o) { return s == segment && o == offset; };
    std::string out;
    switch (framed.type) {
      case RecordType::message: {
        auto message = decode_message(framed.payload);
        if (!message) break;
        Slot* slot = index_.table().find(message->id);
        QueueState* sent_to = index_.queue(message->queue);
        DedupEntry* dedup = nullptr;
        if (message->dedup_id && sent_to) {
          auto found = sent_to->dedup.find(*message->dedup_id);
          if (found != sent_to->dedup.end() && here(found->second.segment, found->second.offset)) dedup = &found->second;
        }
        bool live = slot && here(slot->segment, slot->offset);
        if (live) {
          MessageRecord copy = std::move(*message);
          copy.queue = slot->queue;
          copy.receive_count = slot->receive_count;
          copy.source_queue = slot->source_queue;
          // A lease is not kept across a restart: a leased message is visible after one.
          copy.visible_at_ms = slot->state == State::leased ? now_ms : slot->visible_at;
          bool carries_dedup = dedup && copy.queue == static_cast<std::uint64_t>(sent_to->record.id);
          if (!carries_dedup) copy.dedup_id.reset();
          encode_message(copy, out);
          if (!has_room(out.size(), 0, use_slack)) return false;
          changed();
          Location where = append(out);
          index_.relocate_message(copy.id, where);
          if (carries_dedup) {
            index_.relocate_dedup(*dedup, where, dedup_record_bytes(*copy.dedup_id));
            dedup = nullptr;
          }
          out.clear();
        }
        if (dedup) {
          encode_dedup(DedupRecord{message->queue, *message->dedup_id, dedup->message, dedup->expires_at}, out);
          if (!has_room(out.size(), 0, use_slack)) return false;
          changed();
          index_.relocate_dedup(*dedup, append(out), dedup_record_bytes(*message->dedup_id));
        }
        break;
      }
      case RecordType::queue_put: {
        auto record = decode_queue_put(framed.payload);
        QueueState* q = record ? index_.queue(static_cast<std::uint64_t>(record->id)) : nullptr;
        if (!q || !here(q->where.segment, q->where.offset)) break;
        encode_queue_put(q->record, out);
        if (!has_room(out.size(), 0, use_slack)) return false;
        changed();
        index_.relocate_queue(*q, append(out));
        break;
      }
      case RecordType::dedup: {
        auto record = decode_dedup(framed.payload);
        QueueState* q = record ? index_.queue(record->queue) : nullptr;
        if (!q) break;
        auto found = q->dedup.find(record->dedup_id);
        if (found == q->dedup.end() || !here(found->second.segment, found->second.offset)) break;
        encode_dedup(*record, out);
        if (!has_room(out.size(), 0, use_slack)) return false;
        changed();
        index_.relocate_dedup(found->second, append(out), dedup_record_bytes(record->dedup_id));
        break;
      }
      default:
        break;
    }
    copied += out.size();
    compacting_offset_ += framed.size;
  }
  if (index_.use_of(segment).items > 0) {
    // Scanned to the end and something is still live here (copied meanwhile? no:
    // copies go to the current segment): look again from the start next time.
    if (compacting_offset_ >= bytes.size()) compacting_offset_ = 0;
    return false;
  }
  compacting_segment_ = 0;
  compacting_bytes_ = {};
  return true;
}

}  // namespace queue::storage::log
