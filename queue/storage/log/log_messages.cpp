// LogStore: message operations. Each is bounded by its batch (or its limit) and by
// the entries it skips on its lists, never by the depth of a queue.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "queue/storage/log/log_store.h"

namespace queue::storage::log {
namespace {

std::uint32_t narrow(std::int64_t id) { return static_cast<std::uint32_t>(id); }

}  // namespace

core::StoredMessage LogStore::read_message(std::uint64_t id, const Slot& slot) {
  std::string bytes;
  try {
    bytes = segments_.read(Location{slot.segment, slot.offset, slot.length});
  } catch (const std::system_error& e) {
    throw core::StoreError(core::ErrorCode::unavailable, std::string("storage I/O error: ") + e.what());
  }
  Framed framed;
  std::optional<MessageRecord> record;
  if (parse_frame(bytes, bytes.size(), framed) == FrameStatus::ok && framed.type == RecordType::message) {
    record = decode_message(framed.payload);
  }
  // Never serve a record whose checksum fails.
  if (!record || record->id != id) {
    throw core::StoreError(core::ErrorCode::internal, "message " + std::to_string(id) + ": corrupt record in segment " +
                                                          std::to_string(slot.segment));
  }
  return core::StoredMessage{static_cast<std::int64_t>(id), std::move(record->body), std::move(record->attributes),
                             slot.receive_count, slot.sent_at, slot.visible_at, std::move(record->group_id)};
}

std::vector<std::int64_t> LogStore::send(const core::QueueRecord& queue, std::span<const core::NewMessage> messages,
                                         std::int64_t now_ms) {
  QueueState& q = queue_state(queue.id);
  const core::QueueAttributes& attributes = q.record.attributes;
  const bool dedup_enabled = attributes.dedup_window_s > 0;
  const std::int64_t dedup_expires_at = now_ms + std::int64_t{attributes.dedup_window_s} * 1000;
  const auto queue_id = static_cast<std::uint64_t>(queue.id);

  // Plan and encode everything first: a full disk then fails the whole send before
  // anything changed.
  struct Planned {
    std::size_t index;
    std::uint64_t id;
    std::string bytes;
  };
  std::vector<Planned> planned;
  std::vector<std::int64_t> ids(messages.size());
  std::unordered_map<std::string_view, std::uint64_t> sent_in_batch;  // dedup id -> message id
  std::uint64_t next_id = next_message_id_;
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const core::NewMessage& m = messages[i];
    const bool dedup = dedup_enabled && m.dedup_id;
    if (dedup) {
      auto seen = q.dedup.find(*m.dedup_id);
      if (seen != q.dedup.end() && seen->second.expires_at > now_ms) {
        ids[i] = static_cast<std::int64_t>(seen->second.message);
        ++deduplicated_;
        continue;
      }
      if (auto earlier = sent_in_batch.find(*m.dedup_id); earlier != sent_in_batch.end()) {
        ids[i] = static_cast<std::int64_t>(earlier->second);
        ++deduplicated_;
        continue;
      }
    }
    MessageRecord record;
    record.id = next_id++;
    record.queue = queue_id;
    record.sent_at_ms = now_ms;
    record.visible_at_ms = m.visible_at_ms;
    record.group_id = m.group_id;
    if (dedup) {
      record.dedup_id = m.dedup_id;
      record.dedup_expires_at_ms = dedup_expires_at;
      sent_in_batch.emplace(*m.dedup_id, record.id);
    }
    record.attributes = m.attributes;
    record.body = m.body;
    Planned plan{i, record.id, {}};
    encode_message(record, plan.bytes);
    bytes += plan.bytes.size();
    ids[i] = static_cast<std::int64_t>(record.id);
    planned.push_back(std::move(plan));
  }
  if (planned.empty()) return ids;
  need_room(bytes, planned.size());
  changed();
  next_message_id_ = next_id;

  for (const Planned& plan : planned) {
    const core::NewMessage& m = messages[plan.index];
    Location where = append(plan.bytes);
    index_.insert_message(MessageFields{plan.id, queue_id, now_ms, m.visible_at_ms, 0, 0},
                          m.group_id ? &*m.group_id : nullptr, where, now_ms);
    if (dedup_enabled && m.dedup_id) {
      index_.put_dedup(queue_id, *m.dedup_id, DedupEntry{plan.id, dedup_expires_at, where.segment, where.offset});
    }
  }
  return ids;
}

core::LeaseOutcome LogStore::receive(const core::QueueRecord& queue, const core::LeaseRequest& request,
                                     const core::LeaseTokenSource& tokens) {
  QueueState& q = queue_state(queue.id);
  index_.advance(q, request.now_ms);
  core::LeaseOutcome outcome;
  if (q.ready.empty()) return outcome;
  changed();
  const auto queue_id = narrow(queue.id);
  std::vector<std::uint64_t> skipped;
  std::vector<std::uint64_t> released;  // leases that end now (a zero visibility timeout)
  while (static_cast<int>(outcome.delivered.size()) < request.max && !q.ready.empty()) {
    std::uint64_t id = q.ready.front();
    q.ready.pop_front();
    Slot* slot = index_.table().find(id);
    if (!slot || slot->queue != queue_id || !slot->in_ready) continue;
    slot->in_ready = false;
    if (slot->state != State::ready) continue;
    if (slot->sent_at < request.sent_after_ms) {
      skipped.push_back(id);  // past retention: the sweep deletes it
      continue;
    }
    if (request.dead_letter && slot->receive_count >= request.dead_letter->max_receives &&
        index_.queue(static_cast<std::uint64_t>(request.dead_letter->queue_id))) {
      std::string bytes;
      encode_move(MoveRecord{id, static_cast<std::uint64_t>(request.dead_letter->queue_id),
                             static_cast<std::uint64_t>(queue.id), false, request.now_ms},
                  bytes);
      if (!has_room(bytes.size())) {
        skipped.push_back(id);  // moved once the disk has room again
        continue;
      }
      append(bytes);
      index_.move_message(id, static_cast<std::uint64_t>(request.dead_letter->queue_id),
                          static_cast<std::uint64_t>(queue.id), false, request.now_ms, request.now_ms);
      ++outcome.dead_lettered;
      continue;
    }
    core::StoredMessage message = read_message(id, *slot);
    std::uint64_t token = tokens();
    index_.lease(id, *slot, token, request.lease_until_ms);
    deliveries_.push_back(id);
    if (request.lease_until_ms <= request.now_ms) released.push_back(id);
    outcome.delivered.push_back(core::LeasedMessage{static_cast<std::int64_t>(id), std::move(message.body),
                                                    std::move(message.attributes), token, slot->receive_count,
                                                    slot->sent_at, std::move(message.group_id)});
  }
  for (auto it = skipped.rbegin(); it != skipped.rend(); ++it) index_.requeue_front(*it, *index_.table().find(*it));
  // A lease that ends now leaves the message receivable, behind what was already waiting.
  for (std::uint64_t id : released) {
    Slot& slot = *index_.table().find(id);
    index_.set_visibility(id, slot, slot.visible_at, request.now_ms);
  }
  return outcome;
}

void LogStore::delete_ids(std::span<const std::uint64_t> ids) {
  if (ids.empty()) return;
  // Deletions free space, so they may use the reserve (log_store.h).
  std::string bytes;
  encode_ids(RecordType::remove, ids, bytes);
  changed();
  append(bytes);
  for (std::uint64_t id : ids) index_.remove_message(id);
}

bool LogStore::ack(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t now_ms) {
  return ack_many(queue_id, std::span(&lease, 1), now_ms).front();
}

std::vector<bool> LogStore::ack_many(std::int64_t queue_id, std::span<const core::LeaseRef> leases,
                                     std::int64_t now_ms) {
  std::vector<bool> acked(leases.size(), false);
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < leases.size(); ++i) {
    auto id = static_cast<std::uint64_t>(leases[i].message_id);
    Slot* slot = index_.table().find(id);
    if (!slot || slot->queue != narrow(queue_id) || !index_.lease_is_current(*slot, id, leases[i].lease_token, now_ms)) {
      continue;
    }
    // The same receipt twice in one request: the second finds the message gone.
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    ids.push_back(id);
    acked[i] = true;
  }
  delete_ids(ids);
  return acked;
}

bool LogStore::change_visibility(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t visible_at_ms,
                                 std::int64_t now_ms) {
  auto id = static_cast<std::uint64_t>(lease.message_id);
  Slot* slot = index_.table().find(id);
  if (!slot || slot->queue != narrow(queue_id) || !index_.lease_is_current(*slot, id, lease.lease_token, now_ms)) {
    return false;
  }
  changed();
  index_.set_visibility(id, *slot, visible_at_ms, now_ms);
  return true;
}

std::int64_t LogStore::purge(std::int64_t queue_id) {
  queue_state(queue_id);
  std::uint64_t up_to = next_message_id_ - 1;
  std::string bytes;
  encode_purge(static_cast<std::uint64_t>(queue_id), up_to, bytes);
  changed();
  append(bytes);  // frees space: may use the reserve
  return index_.purge(static_cast<std::uint64_t>(queue_id), up_to);
}

std::int64_t LogStore::redrive(const core::QueueRecord& dead_letter_queue, const std::optional<core::QueueRecord>& to,
                               std::int64_t max, std::int64_t now_ms) {
  QueueState& dlq = queue_state(dead_letter_queue.id);
  index_.advance(dlq, now_ms);
  const auto dlq_id = narrow(dead_letter_queue.id);
  std::int64_t moved = 0;
  // Oldest first; only what the moves append to this same queue (a redrive into
  // itself) lies past `end`.
  const std::size_t end = dlq.arrival.size();
  for (std::size_t i = 0; i < end && moved < max; ++i) {
    std::uint64_t id = dlq.arrival[i];
    Slot* slot = index_.table().find(id);
    if (!slot || slot->queue != dlq_id || slot->state != State::ready) continue;
    std::uint64_t target = to ? static_cast<std::uint64_t>(to->id) : slot->source_queue;
    if (target == 0 || !index_.queue(target)) continue;  // not a dead letter, or its source is gone: only `to` moves it
    std::string bytes;
    encode_move(MoveRecord{id, target, 0, true, now_ms}, bytes);
    if (!has_room(bytes.size())) {
      if (moved == 0) need_room(bytes.size());  // says "disk full"
      break;
    }
    changed();
    append(bytes);
    index_.move_message(id, target, 0, true, now_ms, now_ms);
    ++moved;
  }
  return moved;
}

std::vector<core::StoredMessage> LogStore::peek(std::int64_t queue_id, core::PeekState state, std::size_t limit,
                                                std::int64_t now_ms, const std::optional<core::PeekCursor>& after) {
  QueueState& q = queue_state(queue_id);
  index_.advance(q, now_ms);
  const auto id32 = narrow(queue_id);
  std::vector<std::uint64_t> ids;
  auto wanted = [&](std::uint64_t id, auto accept) {
    Slot* slot = index_.table().find(id);
    if (!slot || slot->queue != id32 || !accept(slot->state)) return;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  // The timer set is ordered as the cursor is: a later page starts at its position.
  auto timed_from = [&] {
    if (!after) return q.timed.begin();
    return q.timed.upper_bound({after->at_ms, static_cast<std::uint64_t>(after->id)});
  };
  switch (state) {
    case core::PeekState::visible:
      // The arrival list is in send order except for messages moved in from another
      // queue, which join at its end: a later page skips what sorts at or before the
      // cursor, walking the entries of the earlier pages again (peek is for looking,
      // and a page is at most 100 messages).
      for (std::size_t i = 0; i < q.arrival.size() && ids.size() < limit; ++i) {
        const std::uint64_t id = q.arrival[i];
        if (after) {
          const Slot* slot = index_.table().find(id);
          if (slot && std::pair(slot->sent_at, static_cast<std::int64_t>(id)) <= std::pair(after->at_ms, after->id)) {
            continue;
          }
        }
        wanted(id, [](State s) { return s == State::ready || s == State::waiting; });
      }
      break;
    case core::PeekState::in_flight:
      for (auto it = timed_from(); it != q.timed.end() && ids.size() < limit; ++it) {
        wanted(it->second, [](State s) { return s == State::leased; });
      }
      break;
    case core::PeekState::delayed:
      for (auto it = timed_from(); it != q.timed.end() && ids.size() < limit; ++it) {
        wanted(it->second, [](State s) { return s == State::delayed || s == State::waiting_delayed; });
      }
      break;
  }
  std::vector<core::StoredMessage> messages;
  messages.reserve(ids.size());
  for (std::uint64_t id : ids) messages.push_back(read_message(id, *index_.table().find(id)));
  return messages;
}

std::optional<core::FoundMessage> LogStore::find_message(std::int64_t queue_id, std::int64_t message_id,
                                                         std::int64_t now_ms) {
  QueueState& q = queue_state(queue_id);
  index_.advance(q, now_ms);
  if (message_id <= 0) return std::nullopt;
  const auto id = static_cast<std::uint64_t>(message_id);
  Slot* slot = index_.table().find(id);
  if (!slot || slot->queue != narrow(queue_id) || slot->state == State::free) return std::nullopt;
  core::PeekState shown = core::PeekState::visible;
  switch (slot->state) {
    case State::leased: shown = core::PeekState::in_flight; break;
    case State::delayed:
    case State::waiting_delayed: shown = core::PeekState::delayed; break;
    case State::recovered:
      if (slot->visible_at > now_ms) shown = core::PeekState::delayed;
      break;
    default: break;
  }
  return core::FoundMessage{read_message(id, *slot), shown};
}

core::QueueStats LogStore::stats(std::int64_t queue_id, std::int64_t now_ms) {
  QueueState& q = queue_state(queue_id);
  index_.advance(q, now_ms);
  auto count = [&](State s) { return q.counts[static_cast<std::size_t>(s)]; };
  core::QueueStats stats;
  stats.visible = count(State::ready) + count(State::waiting);
  stats.in_flight = count(State::leased);
  stats.delayed = count(State::delayed) + count(State::waiting_delayed);
  // The arrival list's first live entry is the oldest (approximately, for messages
  // moved in from another queue, which join at its end).
  const auto id32 = narrow(queue_id);
  while (!q.arrival.empty()) {
    Slot* slot = index_.table().find(q.arrival.front());
    if (slot && slot->queue == id32) {
      stats.oldest_age_s = std::max<std::int64_t>(0, (now_ms - slot->sent_at) / 1000);
      break;
    }
    q.arrival.pop_front();
  }
  return stats;
}

std::int64_t LogStore::expire(std::int64_t now_ms, std::int64_t limit) {
  std::vector<std::uint64_t> expired;
  for (const auto& [name, id] : index_.names()) {
    QueueState& q = *index_.queue(id);
    index_.advance(q, now_ms);
    const std::int64_t cutoff = now_ms - std::int64_t{q.record.attributes.retention_s} * 1000;
    const auto id32 = narrow(static_cast<std::int64_t>(id));
    while (!q.arrival.empty() && static_cast<std::int64_t>(expired.size()) < limit) {
      std::uint64_t front = q.arrival.front();
      Slot* slot = index_.table().find(front);
      if (slot && slot->queue == id32) {
        if (slot->sent_at >= cutoff) break;
        expired.push_back(front);
      }
      q.arrival.pop_front();
    }
    while (!q.dedup_expiry.empty() && q.dedup_expiry.front().first <= now_ms) {
      auto& [expires_at, dedup_id] = q.dedup_expiry.front();
      auto entry = q.dedup.find(dedup_id);
      if (entry != q.dedup.end() && entry->second.expires_at <= now_ms) {
        changed();
        index_.drop_dedup(q, dedup_id);
      }
      q.dedup_expiry.pop_front();
    }
  }
  delete_ids(expired);
  reclaim_space(now_ms);
  return static_cast<std::int64_t>(expired.size());
}

std::optional<std::int64_t> LogStore::next_visible_at(std::int64_t queue_id, std::int64_t now_ms) {
  QueueState* q = index_.queue(static_cast<std::uint64_t>(queue_id));
  if (!q) return std::nullopt;
  index_.advance(*q, now_ms);
  // Waiting FIFO messages become receivable only when their head leaves.
  for (const auto& [visible_at, id] : q->timed) {
    if (index_.table().find(id)->state != State::waiting_delayed) return visible_at;
  }
  return std::nullopt;
}

void LogStore::flush_deliveries(bool force) {
  // Deliveries ride along with a commit that writes anyway; a receive-only commit
  // writes nothing unless many have piled up.
  constexpr std::size_t pile = 4096;
  if (deliveries_.empty() || (!force && segments_.pending_bytes() == 0 && deliveries_.size() < pile)) return;
  std::string bytes;
  encode_ids(RecordType::received, deliveries_, bytes);
  deliveries_.clear();
  if (!has_room(bytes.size())) return;  // a full disk: receive_count may roll back, as after a crash
  append(bytes);
}

}  // namespace queue::storage::log
