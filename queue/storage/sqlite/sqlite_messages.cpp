// SqliteStore: message operations. Every query here is an index range scan bounded
// by its LIMIT or by one message (schema.h), so its cost does not grow with depth.
#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "queue/storage/attributes_codec.h"
#include "queue/storage/sqlite/sqlite_store.h"

namespace queue::storage::sqlite {
namespace {

// Lease tokens are 64 random bits; SQLite integers are signed.
std::int64_t token_column(std::uint64_t token) { return static_cast<std::int64_t>(token); }

// Columns 0..6 of every query that reads whole messages.
#define MESSAGE_COLUMNS "id, body, attributes, receive_count, sent_at, visible_at, group_id"

core::StoredMessage read_message(const Query& row) {
  return core::StoredMessage{row.int64(0),
                             row.text(1),
                             decode_attributes(row.optional_text(2)),
                             static_cast<int>(row.int64(3)),
                             row.int64(4),
                             row.int64(5),
                             row.optional_text(6)};
}

}  // namespace

bool SqliteStore::group_has_messages(std::int64_t queue_id, const std::string& group_id) {
  auto query = db_.query("SELECT 1 FROM messages WHERE queue_id = ?1 AND group_id = ?2 LIMIT 1");
  query.bind(1, queue_id).bind(2, std::string_view(group_id));
  return query.step();
}

void SqliteStore::promote_group_head(std::int64_t queue_id, const std::string& group_id) {
  db_.query(
         "UPDATE messages SET blocked = 0 WHERE id = "
         "(SELECT id FROM messages WHERE queue_id = ?1 AND group_id = ?2 ORDER BY id LIMIT 1)")
      .bind(1, queue_id)
      .bind(2, std::string_view(group_id))
      .run();
}

void SqliteStore::move_message(std::int64_t message_id, std::int64_t to_queue_id, bool to_fifo,
                               const std::optional<std::string>& group_id,
                               std::optional<std::int64_t> source_queue_id, bool reset_receive_count,
                               std::int64_t now_ms) {
  bool blocked = to_fifo && group_id && group_has_messages(to_queue_id, *group_id);
  auto query = db_.query(
      "UPDATE messages SET queue_id = ?2, blocked = ?3, visible_at = ?4, lease_token = NULL, source_queue_id = ?5, "
      "receive_count = CASE WHEN ?6 THEN 0 ELSE receive_count END WHERE id = ?1");
  query.bind(1, message_id).bind(2, to_queue_id).bind(3, std::int64_t{blocked}).bind(4, now_ms);
  if (source_queue_id) {
    query.bind(5, *source_queue_id);
  } else {
    query.bind_null(5);
  }
  query.bind(6, std::int64_t{reset_receive_count}).run();
}

std::vector<std::int64_t> SqliteStore::send(const core::QueueRecord& queue,
                                            std::span<const core::NewMessage> messages, std::int64_t now_ms) {
  const core::QueueAttributes& attributes = queue.attributes;
  bool dedup_enabled = attributes.dedup_window_s > 0;
  std::vector<std::int64_t> ids;
  ids.reserve(messages.size());
  for (const core::NewMessage& m : messages) {
    bool dedup = dedup_enabled && m.dedup_id;
    if (dedup) {
      auto seen = db_.query("SELECT message_id FROM dedup WHERE queue_id = ?1 AND dedup_id = ?2 AND expires_at > ?3");
      seen.bind(1, queue.id).bind(2, std::string_view(*m.dedup_id)).bind(3, now_ms);
      if (seen.step()) {
        ids.push_back(seen.int64(0));
        ++deduplicated_;
        continue;
      }
    }
    bool blocked = attributes.fifo && m.group_id && group_has_messages(queue.id, *m.group_id);
    db_.query(
           "INSERT INTO messages (queue_id, blocked, visible_at, sent_at, group_id, body, attributes) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, queue.id)
        .bind(2, std::int64_t{blocked})
        .bind(3, m.visible_at_ms)
        .bind(4, now_ms)
        .bind(5, m.group_id)
        .bind(6, std::string_view(m.body))
        .bind(7, encode_attributes(m.attributes))
        .run();
    std::int64_t id = db_.last_insert_id();
    ids.push_back(id);
    if (dedup) {
      db_.query("INSERT OR REPLACE INTO dedup (queue_id, dedup_id, message_id, expires_at) VALUES (?1, ?2, ?3, ?4)")
          .bind(1, queue.id)
          .bind(2, std::string_view(*m.dedup_id))
          .bind(3, id)
          .bind(4, now_ms + std::int64_t{attributes.dedup_window_s} * 1000)
          .run();
    }
  }
  return ids;
}

core::LeaseOutcome SqliteStore::receive(const core::QueueRecord& queue, const core::LeaseRequest& request,
                                        const core::LeaseTokenSource& tokens) {
  core::LeaseOutcome outcome;
  // A lease that ends now leaves the message receivable: look only once, or the same
  // message would be picked again within this call.
  bool may_look_again = request.lease_until_ms > request.now_ms;
  for (;;) {
    std::vector<core::StoredMessage> candidates;
    {
      auto query = db_.query(
          "SELECT " MESSAGE_COLUMNS " FROM messages WHERE queue_id = ?1 AND blocked = 0 AND visible_at <= ?2 "
          "AND sent_at >= ?3 ORDER BY visible_at, id LIMIT ?4");
      query.bind(1, queue.id)
          .bind(2, request.now_ms)
          .bind(3, request.sent_after_ms)
          .bind(4, std::int64_t{request.max} - static_cast<std::int64_t>(outcome.delivered.size()));
      while (query.step()) candidates.push_back(read_message(query));
    }
    bool moved_any = false;
    for (core::StoredMessage& m : candidates) {
      if (request.dead_letter && m.receive_count >= request.dead_letter->max_receives) {
        move_message(m.id, request.dead_letter->queue_id, queue.attributes.fifo, m.group_id, queue.id,
                     /*reset_receive_count=*/false, request.now_ms);
        if (queue.attributes.fifo && m.group_id) promote_group_head(queue.id, *m.group_id);
        ++outcome.dead_lettered;
        moved_any = true;
        continue;
      }
      std::uint64_t token = tokens();
      db_.query("UPDATE messages SET visible_at = ?2, lease_token = ?3, receive_count = receive_count + 1 WHERE id = ?1")
          .bind(1, m.id)
          .bind(2, request.lease_until_ms)
          .bind(3, token_column(token))
          .run();
      outcome.delivered.push_back(core::LeasedMessage{m.id, std::move(m.body), std::move(m.attributes), token,
                                                      m.receive_count + 1, m.sent_at_ms, std::move(m.group_id)});
    }
    // Dead-letter moves left room (and may have promoted FIFO heads): fill it.
    if (!moved_any || !may_look_again || static_cast<int>(outcome.delivered.size()) >= request.max) break;
  }
  return outcome;
}

bool SqliteStore::ack(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t now_ms) {
  std::optional<std::string> group_id;
  bool deleted = false;
  {
    auto query = db_.query(
        "DELETE FROM messages WHERE id = ?1 AND queue_id = ?2 AND lease_token = ?3 AND visible_at > ?4 "
        "RETURNING group_id");
    query.bind(1, lease.message_id).bind(2, queue_id).bind(3, token_column(lease.lease_token)).bind(4, now_ms);
    while (query.step()) {
      deleted = true;
      group_id = query.optional_text(0);
    }
  }
  if (deleted && group_id) promote_group_head(queue_id, *group_id);
  return deleted;
}

bool SqliteStore::change_visibility(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t visible_at_ms,
                                    std::int64_t now_ms) {
  // A lease ending now is a release: forget the token so the message counts as visible.
  auto changed = db_.query(
                        "UPDATE messages SET visible_at = ?5, lease_token = CASE WHEN ?5 <= ?4 THEN NULL ELSE "
                        "lease_token END WHERE id = ?1 AND queue_id = ?2 AND lease_token = ?3 AND visible_at > ?4")
                     .bind(1, lease.message_id)
                     .bind(2, queue_id)
                     .bind(3, token_column(lease.lease_token))
                     .bind(4, now_ms)
                     .bind(5, visible_at_ms)
                     .run();
  return changed == 1;
}

std::int64_t SqliteStore::purge(std::int64_t queue_id) {
  return db_.query("DELETE FROM messages WHERE queue_id = ?1").bind(1, queue_id).run();
}

std::int64_t SqliteStore::redrive(const core::QueueRecord& dead_letter_queue,
                                  const std::optional<core::QueueRecord>& to, std::int64_t max, std::int64_t now_ms) {
  constexpr std::int64_t chunk = 256;
  struct Candidate {
    std::int64_t id;
    std::optional<std::int64_t> source;
    std::optional<std::string> group_id;
  };
  std::map<std::int64_t, std::optional<bool>> source_kind;  // source queue id -> fifo, nullopt: deleted
  std::int64_t moved = 0;
  std::int64_t after_id = 0;
  while (moved < max) {
    std::vector<Candidate> candidates;
    {
      auto query = db_.query(
          "SELECT id, source_queue_id, group_id FROM messages WHERE queue_id = ?1 AND blocked = 0 "
          "AND visible_at <= ?2 AND id > ?3 ORDER BY id LIMIT ?4");
      query.bind(1, dead_letter_queue.id).bind(2, now_ms).bind(3, after_id).bind(4, std::min(chunk, max - moved));
      while (query.step()) candidates.push_back(Candidate{query.int64(0), query.optional_int64(1), query.optional_text(2)});
    }
    if (candidates.empty()) break;
    for (const Candidate& c : candidates) {
      after_id = c.id;
      std::int64_t target;
      bool target_fifo;
      if (to) {
        target = to->id;
        target_fifo = to->attributes.fifo;
      } else {
        if (!c.source) continue;  // not a dead letter: only `to` can move it
        auto [it, inserted] = source_kind.try_emplace(*c.source);
        if (inserted) it->second = queue_is_fifo(*c.source);
        if (!it->second) continue;  // its source queue was deleted: only `to` can move it
        target = *c.source;
        target_fifo = *it->second;
      }
      move_message(c.id, target, target_fifo, c.group_id, std::nullopt, /*reset_receive_count=*/true, now_ms);
      if (dead_letter_queue.attributes.fifo && c.group_id) promote_group_head(dead_letter_queue.id, *c.group_id);
      ++moved;
    }
  }
  return moved;
}

std::vector<core::StoredMessage> SqliteStore::peek(std::int64_t queue_id, core::PeekState state, std::size_t limit,
                                                   std::int64_t now_ms, const std::optional<core::PeekCursor>& after) {
  // (?4, ?5) is the cursor; without one it lies before every row. A row value keeps
  // a later page an index range scan starting where the last one stopped.
  std::string_view sql;
  switch (state) {
    case core::PeekState::visible:
      // In send order; messages_age walks the queue oldest first and stops at LIMIT.
      sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE queue_id = ?1 AND visible_at <= ?2 "
            "AND (sent_at, id) > (?4, ?5) ORDER BY sent_at, id LIMIT ?3";
      break;
    case core::PeekState::in_flight:
      sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE queue_id = ?1 AND blocked = 0 AND visible_at > ?2 "
            "AND lease_token IS NOT NULL AND (visible_at, id) > (?4, ?5) ORDER BY visible_at, id LIMIT ?3";
      break;
    case core::PeekState::delayed:
      sql = "SELECT " MESSAGE_COLUMNS " FROM messages WHERE queue_id = ?1 AND blocked IN (0, 1) AND visible_at > ?2 "
            "AND lease_token IS NULL AND (visible_at, id) > (?4, ?5) ORDER BY visible_at, id LIMIT ?3";
      break;
  }
  const core::PeekCursor from = after.value_or(core::PeekCursor{std::numeric_limits<std::int64_t>::min(), 0});
  auto query = db_.query(sql);
  query.bind(1, queue_id).bind(2, now_ms).bind(3, static_cast<std::int64_t>(limit)).bind(4, from.at_ms).bind(5, from.id);
  std::vector<core::StoredMessage> messages;
  while (query.step()) messages.push_back(read_message(query));
  return messages;
}

std::optional<core::FoundMessage> SqliteStore::find_message(std::int64_t queue_id, std::int64_t message_id,
                                                            std::int64_t now_ms) {
  auto query = db_.query("SELECT " MESSAGE_COLUMNS ", lease_token IS NOT NULL FROM messages WHERE id = ?1 AND queue_id = ?2");
  query.bind(1, message_id).bind(2, queue_id);
  if (!query.step()) return std::nullopt;
  core::FoundMessage found{read_message(query), core::PeekState::visible};
  // The schema's rule (schema.h): visible_at alone encodes the state.
  if (found.message.visible_at_ms > now_ms) {
    found.state = query.int64(7) != 0 ? core::PeekState::in_flight : core::PeekState::delayed;
  }
  return found;
}

std::int64_t SqliteStore::expire(std::int64_t now_ms, std::int64_t limit) {
  // One statement for all queues: CROSS JOIN pins queues as the outer loop, so each
  // queue costs one probe of messages_age, never a scan of all messages.
  std::int64_t deleted = 0;
  std::set<std::pair<std::int64_t, std::string>> headless_groups;
  {
    auto query = db_.query(
        "DELETE FROM messages WHERE id IN (SELECT m.id FROM queues q CROSS JOIN messages m "
        "WHERE m.queue_id = q.id AND m.sent_at < ?1 - q.retention_s * 1000 LIMIT ?2) "
        "RETURNING queue_id, group_id, blocked");
    query.bind(1, now_ms).bind(2, limit);
    while (query.step()) {
      ++deleted;
      // Only FIFO messages have a group; a deleted head leaves its group without one.
      if (!query.is_null(1) && query.int64(2) == 0) headless_groups.emplace(query.int64(0), query.text(1));
    }
  }
  for (const auto& [queue_id, group] : headless_groups) promote_group_head(queue_id, group);
  // Expired dedup entries: only one sweep interval's worth of sends piles up between sweeps.
  db_.query("DELETE FROM dedup WHERE expires_at <= ?1").bind(1, now_ms).run();
  return deleted;
}

}  // namespace queue::storage::sqlite
