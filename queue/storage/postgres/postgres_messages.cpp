// PostgresStore: message operations. Each is one statement over arrays where it
// can be (a FIFO change adds one statement that takes its group locks first, in the
// same round trip, see postgres_store.h), and every scan is an index range bounded
// by a LIMIT.
#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "queue/storage/attributes_codec.h"
#include "queue/storage/postgres/arrays.h"
#include "queue/storage/postgres/postgres_store.h"

namespace queue::storage::postgres {
namespace {

// Lease tokens are 64 random bits; PostgreSQL's bigint is signed.
std::int64_t token_column(std::uint64_t token) { return static_cast<std::int64_t>(token); }

core::StoredMessage read_stored(const Rows& rows, int row) {
  return core::StoredMessage{rows.int64(row, 0),
                             rows.bytes(row, 1),
                             decode_attributes(rows.optional_text(row, 2)),
                             static_cast<int>(rows.int64(row, 3)),
                             rows.int64(row, 4),
                             rows.int64(row, 5),
                             rows.optional_text(row, 6)};
}

core::StoreError queue_gone(std::int64_t queue_id) {
  return core::StoreError(core::ErrorCode::queue_not_found,
                          "the queue was deleted by another request meanwhile (id " + std::to_string(queue_id) + ")");
}

// Message ids are reserved in ascending order (row_number over the sequence values
// drawn), so a batch keeps its send order even where nextval runs out of order.
constexpr const char* send_sql = R"sql(
WITH queue AS (SELECT id FROM queue_queues WHERE id = $1 FOR KEY SHARE),
input AS (
  SELECT t.* FROM unnest($3::bytea[], $4::text[], $5::text[], $6::bigint[], $7::text[])
    WITH ORDINALITY AS t(body, attributes, group_id, visible_at, dedup_id, ord)
  WHERE EXISTS (SELECT 1 FROM queue)),
drawn AS (SELECT nextval('queue_messages_id_seq') AS id FROM input),
numbered AS (
  SELECT input.*, sorted.id
  FROM input JOIN (SELECT id, row_number() OVER (ORDER BY id) AS ord FROM drawn) sorted USING (ord)),
claims AS (
  INSERT INTO queue_dedup (queue_id, dedup_id, message_id, expires_at)
  SELECT $1, dedup_id, id, $8 FROM numbered WHERE dedup_id IS NOT NULL
  ON CONFLICT (queue_id, dedup_id) DO UPDATE SET
    message_id = CASE WHEN queue_dedup.expires_at <= $2 THEN excluded.message_id ELSE queue_dedup.message_id END,
    expires_at = CASE WHEN queue_dedup.expires_at <= $2 THEN excluded.expires_at ELSE queue_dedup.expires_at END
  RETURNING dedup_id, message_id),
fresh AS (
  SELECT n.* FROM numbered n LEFT JOIN claims c ON c.dedup_id = n.dedup_id
  WHERE c.message_id IS NULL OR c.message_id = n.id),
placed AS (
  SELECT f.*, $9 AND f.group_id IS NOT NULL AND (
      row_number() OVER (PARTITION BY f.group_id ORDER BY f.id) > 1
      OR EXISTS (SELECT 1 FROM queue_messages o WHERE o.queue_id = $1 AND o.group_id = f.group_id)) AS blocked
  FROM fresh f),
m AS (
  INSERT INTO queue_messages (id, queue_id, sent_at, group_id, body, attributes)
  SELECT id, $1, $2, group_id, body, attributes FROM placed),
s AS (
  INSERT INTO queue_message_state (message_id, queue_id, visible_at, sent_at, blocked)
  SELECT id, $1, visible_at, $2, blocked FROM placed)
SELECT n.ord, coalesce(c.message_id, n.id), coalesce(c.message_id <> n.id, false)
FROM numbered n LEFT JOIN claims c ON c.dedup_id = n.dedup_id
ORDER BY n.ord
)sql";

// A plain send (no FIFO, no dedup id) with ids reserved beforehand ($3): nobody
// waits for its result, so a queue deleted meanwhile must fail it loudly, which the
// division by zero does (the INSERTs then wrote nothing).
constexpr const char* plain_send_sql = R"sql(
WITH queue AS (SELECT id FROM queue_queues WHERE id = $1 FOR KEY SHARE),
input AS (
  SELECT t.* FROM unnest($3::bigint[], $4::bytea[], $5::text[], $6::text[], $7::bigint[])
    AS t(id, body, attributes, group_id, visible_at)
  WHERE EXISTS (SELECT 1 FROM queue)),
m AS (
  INSERT INTO queue_messages (id, queue_id, sent_at, group_id, body, attributes)
  SELECT id, $1, $2, group_id, body, attributes FROM input),
s AS (
  INSERT INTO queue_message_state (message_id, queue_id, visible_at, sent_at, blocked)
  SELECT id, $1, visible_at, $2, false FROM input)
SELECT 1 / (SELECT count(*)::int FROM queue)
)sql";

// Ids for plain sends are reserved this many at a time: one round trip per block.
constexpr std::size_t id_block = 256;

// Picks up to $4 receivable messages in order and leases those below the dead-letter
// threshold ($7, NULL: none); the others come back flagged for a move. The n-th
// message picked takes the n-th lease end and token ($5, $6): several receives share
// the statement, each owning a run of slots.
constexpr const char* receive_sql = R"sql(
WITH picked AS (
  SELECT message_id, visible_at, receive_count FROM queue_message_state
  WHERE queue_id = $1 AND blocked = false AND visible_at <= $2 AND sent_at >= $3
  ORDER BY visible_at, message_id LIMIT $4
  FOR UPDATE SKIP LOCKED),
numbered AS (SELECT p.*, row_number() OVER (ORDER BY visible_at, message_id) AS rn FROM picked p),
leased AS (
  UPDATE queue_message_state s
  SET visible_at = ($5::bigint[])[n.rn::int], lease_token = ($6::bigint[])[n.rn::int],
      receive_count = s.receive_count + 1
  FROM numbered n
  WHERE s.message_id = n.message_id AND ($7::int IS NULL OR n.receive_count < $7::int)
  RETURNING s.message_id, s.lease_token, s.receive_count)
SELECT n.message_id, l.lease_token, coalesce(l.receive_count, n.receive_count), m.sent_at, m.group_id,
       CASE WHEN l.message_id IS NULL THEN NULL ELSE m.body END, m.attributes, l.message_id IS NULL
FROM numbered n JOIN queue_messages m ON m.id = n.message_id LEFT JOIN leased l ON l.message_id = n.message_id
ORDER BY n.rn
)sql";

// Deletes the messages whose lease is current and makes each group they led
// (FIFO) lead by its next message: in one statement, whose snapshot started after
// the group locks were granted.
constexpr const char* ack_sql = R"sql(
WITH input AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]) AS t(id, token)),
gone AS (
  DELETE FROM queue_message_state s USING input i
  WHERE s.message_id = i.id AND s.queue_id = $1 AND s.lease_token = i.token AND s.visible_at > $4
  RETURNING s.message_id, s.lease_token),
m AS (DELETE FROM queue_messages m USING gone WHERE m.id = gone.message_id RETURNING m.id, m.group_id),
heads AS (
  SELECT (SELECT o.id FROM queue_messages o
          WHERE o.queue_id = $1 AND o.group_id = g.group_id AND o.id NOT IN (SELECT id FROM m)
          ORDER BY o.id LIMIT 1) AS id
  FROM (SELECT DISTINCT group_id FROM m WHERE group_id IS NOT NULL) g),
promoted AS (UPDATE queue_message_state s SET blocked = false FROM heads WHERE s.message_id = heads.id)
SELECT message_id, lease_token FROM gone
)sql";

// Each row moves one lease's end to its own visible_at (a batch's visibility changes
// share the statement); one at or before now releases the message. The rows name
// distinct leases (merged_changes): an UPDATE applies at most one row per target.
constexpr const char* visibility_sql = R"sql(
UPDATE queue_message_state s
SET visible_at = i.visible_at, lease_token = CASE WHEN i.visible_at <= $2 THEN NULL ELSE s.lease_token END
FROM unnest($3::bigint[], $4::bigint[], $5::bigint[]) AS i(id, token, visible_at)
WHERE s.message_id = i.id AND s.queue_id = $1 AND s.lease_token = i.token AND s.visible_at > $2
RETURNING s.message_id, i.token
)sql";

// Changes of one statement: one per lease, with the end the last of its repeats
// leaves. As one by one, each repeat of a receipt moves the end while the lease is
// current; a release (an end at or before now) makes the receipt stale, so the
// repeats after it fail whatever the statement finds.
struct MergedChanges {
  std::vector<core::VisibilityChange> rows;
  std::vector<std::size_t> row_of;        // per change: its lease's row
  std::vector<bool> applies_if_current;   // per change: succeeds if its lease is current
};

MergedChanges merged_changes(std::span<const core::VisibilityChange> changes, std::int64_t now_ms) {
  MergedChanges merged;
  std::map<std::pair<std::int64_t, std::uint64_t>, std::size_t> row_of_lease;
  std::vector<bool> released;  // per row: a change so far released it
  for (const core::VisibilityChange& change : changes) {
    auto [it, first] = row_of_lease.emplace(std::pair(change.lease.message_id, change.lease.lease_token),
                                            merged.rows.size());
    std::size_t row = it->second;
    if (first) {
      merged.rows.push_back(change);
      released.push_back(false);
    }
    merged.row_of.push_back(row);
    merged.applies_if_current.push_back(!released[row]);
    if (released[row]) continue;
    merged.rows[row].visible_at_ms = change.visible_at_ms;
    released[row] = change.visible_at_ms <= now_ms;
  }
  return merged;
}

// Moves messages of $1 into $2 (held FOR KEY SHARE: it cannot vanish under them).
// FIFO ($7): a moved message leads its group in $2 unless the group already has
// messages there or an earlier one of this move.
constexpr const char* move_sql = R"sql(
WITH target AS (SELECT id FROM queue_queues WHERE id = $2 FOR KEY SHARE),
moving AS (
  SELECT m.id, m.group_id FROM queue_messages m
  WHERE m.id = ANY($3::bigint[]) AND m.queue_id = $1 AND EXISTS (SELECT 1 FROM target)),
placed AS (
  SELECT id, $7 AND group_id IS NOT NULL AND (
      row_number() OVER (PARTITION BY group_id ORDER BY id) > 1
      OR EXISTS (SELECT 1 FROM queue_messages o WHERE o.queue_id = $2 AND o.group_id = moving.group_id)) AS blocked
  FROM moving),
s AS (
  UPDATE queue_message_state st
  SET queue_id = $2, blocked = p.blocked, visible_at = $4, lease_token = NULL,
      receive_count = CASE WHEN $6 THEN 0 ELSE st.receive_count END
  FROM placed p WHERE st.message_id = p.id)
UPDATE queue_messages SET queue_id = $2, source_queue_id = $5 WHERE id IN (SELECT id FROM moving)
RETURNING id
)sql";

// Makes the oldest message of each listed group of $1 its head.
constexpr const char* promote_sql = R"sql(
WITH heads AS (
  SELECT (SELECT m.id FROM queue_messages m WHERE m.queue_id = $1 AND m.group_id = g ORDER BY m.id LIMIT 1) AS id
  FROM unnest($2::text[]) AS g)
UPDATE queue_message_state s SET blocked = false FROM heads WHERE s.message_id = heads.id AND s.blocked
)sql";

}  // namespace

// Group locks in key order, so two transactions never wait for each other in a circle.
Statement PostgresStore::lock_queue_and_groups(std::int64_t queue_id,
                                               std::span<const std::optional<std::string>> groups) {
  return Statement::with_params(
      "SELECT EXISTS (SELECT 1 FROM queue_queues WHERE id = $1 FOR KEY SHARE), "
      "(SELECT count(*) FROM (SELECT pg_advisory_xact_lock(k) FROM "
      "(SELECT DISTINCT hashtextextended(g, $1) AS k FROM unnest($2::text[]) AS g WHERE g IS NOT NULL ORDER BY 1) keys"
      ") locked)",
      Params().add(queue_id).add(std::string_view(text_array(groups))));
}

// The groups the listed messages lead, locked as above.
Statement PostgresStore::lock_groups_of(std::int64_t queue_id, std::string_view message_id_array) {
  return Statement::with_params(
      "SELECT EXISTS (SELECT 1 FROM queue_queues WHERE id = $1 FOR KEY SHARE), "
      "(SELECT count(*) FROM (SELECT pg_advisory_xact_lock(k) FROM "
      "(SELECT DISTINCT hashtextextended(group_id, $1) AS k FROM queue_messages "
      "WHERE id = ANY($2::bigint[]) AND queue_id = $1 AND group_id IS NOT NULL ORDER BY 1) keys) locked)",
      Params().add(queue_id).add(message_id_array));
}

std::vector<std::int64_t> PostgresStore::send(const core::QueueRecord& queue,
                                              std::span<const core::NewMessage> messages, std::int64_t now_ms) {
  const core::QueueAttributes& attributes = queue.attributes;
  bool dedup_enabled = attributes.dedup_window_s > 0;
  // A dedup_id repeated within the batch takes the outcome of its first occurrence.
  std::vector<std::size_t> slot_of(messages.size());
  std::map<std::string, std::size_t, std::less<>> slot_of_dedup_id;
  std::vector<std::string_view> bodies;
  std::vector<std::optional<std::string>> encoded_attributes, groups, dedup_ids;
  std::vector<std::int64_t> visible_ats;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const core::NewMessage& m = messages[i];
    bool dedup = dedup_enabled && m.dedup_id;
    if (dedup) {
      auto [it, first] = slot_of_dedup_id.emplace(*m.dedup_id, bodies.size());
      slot_of[i] = it->second;
      if (!first) continue;
    } else {
      slot_of[i] = bodies.size();
    }
    bodies.push_back(m.body);
    encoded_attributes.push_back(encode_attributes(m.attributes));
    groups.push_back(m.group_id);
    visible_ats.push_back(m.visible_at_ms);
    dedup_ids.push_back(dedup ? m.dedup_id : std::nullopt);
  }

  const bool plain = !attributes.fifo && std::none_of(dedup_ids.begin(), dedup_ids.end(),
                                                      [](const auto& dedup_id) { return dedup_id.has_value(); });
  if (plain) {
    std::vector<std::int64_t> ids = take_message_ids(bodies.size());
    Params params;
    params.add(queue.id)
        .add(now_ms)
        .add(std::string_view(int64_array(ids)))
        .add(std::string_view(bytea_array(bodies)))
        .add(std::string_view(text_array(encoded_attributes)))
        .add(std::string_view(text_array(groups)))
        .add(std::string_view(int64_array(visible_ats)));
    defer(plain_send_sql, std::move(params));
    note_messages(queue.id);
    return ids;
  }

  Params params;
  params.add(queue.id)
      .add(now_ms)
      .add(std::string_view(bytea_array(bodies)))
      .add(std::string_view(text_array(encoded_attributes)))
      .add(std::string_view(text_array(groups)))
      .add(std::string_view(int64_array(visible_ats)))
      .add(std::string_view(text_array(dedup_ids)))
      .add(now_ms + std::int64_t{attributes.dedup_window_s} * 1000)
      .add(attributes.fifo);
  // FIFO: the group locks first, in the same round trip. A queue deleted meanwhile
  // leaves send_sql without input, so no rows.
  std::vector<Statement> first;
  if (attributes.fifo) first.push_back(lock_queue_and_groups(queue.id, groups));
  Rows rows = run(send_sql, params, std::move(first));
  if (rows.size() != static_cast<int>(bodies.size())) throw queue_gone(queue.id);

  std::vector<std::int64_t> slot_ids(bodies.size());
  for (int r = 0; r < rows.size(); ++r) {
    slot_ids[static_cast<std::size_t>(rows.int64(r, 0) - 1)] = rows.int64(r, 1);
    if (rows.boolean(r, 2)) ++deduplicated_;  // an earlier send's claim stood
  }
  // A dedup_id repeated within the batch is answered by its first occurrence.
  deduplicated_ += messages.size() - bodies.size();
  std::vector<std::int64_t> ids;
  ids.reserve(messages.size());
  for (std::size_t slot : slot_of) ids.push_back(slot_ids[slot]);
  note_messages(queue.id);
  return ids;
}

std::vector<std::int64_t> PostgresStore::take_message_ids(std::size_t count) {
  if (reserved_ids_.size() < count) {
    // Ascending, so that a store's sends keep their order in the queue.
    Rows rows = run("SELECT nextval('queue_messages_id_seq') AS id FROM generate_series(1, $1) ORDER BY id",
                    Params().add(static_cast<std::int64_t>(std::max(count, id_block))));
    for (int r = 0; r < rows.size(); ++r) reserved_ids_.push_back(rows.int64(r, 0));
  }
  std::vector<std::int64_t> ids(reserved_ids_.begin(), reserved_ids_.begin() + static_cast<std::ptrdiff_t>(count));
  reserved_ids_.erase(reserved_ids_.begin(), reserved_ids_.begin() + static_cast<std::ptrdiff_t>(count));
  return ids;
}

core::LeaseOutcome PostgresStore::receive(const core::QueueRecord& queue, const core::LeaseRequest& request,
                                          const core::LeaseTokenSource& tokens) {
  return std::move(receive_many(queue, std::span<const core::LeaseRequest>(&request, 1), tokens).front());
}

std::vector<core::LeaseOutcome> PostgresStore::receive_many(const core::QueueRecord& queue,
                                                            std::span<const core::LeaseRequest> requests,
                                                            const core::LeaseTokenSource& tokens) {
  note_served(queue.id);
  std::vector<core::LeaseOutcome> outcomes(requests.size());
  if (requests.empty()) return outcomes;
  // The queue's parameters are the same for every request (store.h).
  const core::LeaseRequest& shared = requests.front();
  // A lease that ends now leaves the message receivable: look only once, or the same
  // message would be picked again within this call.
  bool may_look_again = std::all_of(requests.begin(), requests.end(),
                                    [](const core::LeaseRequest& r) { return r.lease_until_ms > r.now_ms; });
  for (;;) {
    // Slots in request order: request i owns as many as it still wants.
    std::vector<std::size_t> owner;
    std::vector<std::int64_t> lease_ends, lease_tokens;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      int wanted = requests[i].max - static_cast<int>(outcomes[i].delivered.size());
      for (int k = 0; k < wanted; ++k) {
        owner.push_back(i);
        lease_ends.push_back(requests[i].lease_until_ms);
        lease_tokens.push_back(token_column(tokens()));
      }
    }
    if (owner.empty()) break;
    Params params;
    params.add(queue.id)
        .add(shared.now_ms)
        .add(shared.sent_after_ms)
        .add(static_cast<std::int64_t>(owner.size()))
        .add(std::string_view(int64_array(lease_ends)))
        .add(std::string_view(int64_array(lease_tokens)));
    if (shared.dead_letter) {
      params.add(std::int64_t{shared.dead_letter->max_receives});
    } else {
      params.add_null();
    }
    Rows rows = run(receive_sql, params);

    std::vector<Movable> poison;
    for (int r = 0; r < rows.size(); ++r) {
      if (rows.boolean(r, 7)) {
        poison.push_back(Movable{rows.int64(r, 0), rows.optional_text(r, 4)});
        continue;
      }
      // Row r is the (r+1)-th message picked: its slot's owner leased it.
      outcomes[owner[static_cast<std::size_t>(r)]].delivered.push_back(core::LeasedMessage{
          rows.int64(r, 0), rows.bytes(r, 5), decode_attributes(rows.optional_text(r, 6)),
          static_cast<std::uint64_t>(rows.int64(r, 1)), static_cast<int>(rows.int64(r, 2)), rows.int64(r, 3),
          rows.optional_text(r, 4)});
    }
    std::int64_t moved = 0;
    if (!poison.empty()) {
      moved = move_messages(queue, shared.dead_letter->queue_id, queue.attributes.fifo, poison, queue.id,
                            /*reset_receive_count=*/false, shared.now_ms);
      outcomes.front().dead_lettered += moved;
    }
    // Dead-letter moves left room (and may have promoted FIFO heads): fill it.
    if (moved == 0 || !may_look_again) break;
  }
  return outcomes;
}

std::int64_t PostgresStore::move_messages(const core::QueueRecord& from, std::int64_t to_id, bool to_fifo,
                                          std::span<const Movable> messages,
                                          std::optional<std::int64_t> source_queue_id, bool reset_receive_count,
                                          std::int64_t now_ms) {
  std::vector<std::int64_t> ids;
  std::vector<std::optional<std::string>> groups;
  for (const Movable& m : messages) {
    ids.push_back(m.id);
    groups.push_back(m.group_id);
  }
  // FIFO: both queues' group locks first, in the same round trip. move_sql moves
  // nothing out of a queue deleted meanwhile (its messages went with it) nor into one.
  std::vector<Statement> first;
  if (from.attributes.fifo || to_fifo) {
    first.push_back(lock_queue_and_groups(from.id, groups));
    first.push_back(lock_queue_and_groups(to_id, groups));
  }
  Rows moved = run(move_sql,
                   Params()
                       .add(from.id)
                       .add(to_id)
                       .add(std::string_view(int64_array(ids)))
                       .add(now_ms)
                       .add(source_queue_id)
                       .add(reset_receive_count)
                       .add(to_fifo),
                   std::move(first));
  if (moved.size() > 0) {
    note_messages(to_id);
    // Every message moved here was its group's head (only heads are receivable).
    if (from.attributes.fifo) {
      run(promote_sql, Params().add(from.id).add(std::string_view(text_array(groups))));
      note_messages(from.id);
    }
  }
  return moved.size();
}

bool PostgresStore::ack(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t now_ms) {
  return ack_many(queue_id, std::span<const core::LeaseRef>(&lease, 1), now_ms).front();
}

std::vector<bool> PostgresStore::ack_many(std::int64_t queue_id, std::span<const core::LeaseRef> leases,
                                          std::int64_t now_ms) {
  std::vector<std::int64_t> ids, lease_tokens;
  for (const core::LeaseRef& lease : leases) {
    ids.push_back(lease.message_id);
    lease_tokens.push_back(token_column(lease.lease_token));
  }
  std::string id_array = int64_array(ids);
  // FIFO: lock the groups these messages lead before deciding who leads next (in
  // the same round trip).
  std::vector<Statement> first;
  if (is_fifo(queue_id)) first.push_back(lock_groups_of(queue_id, id_array));
  Rows rows = run(ack_sql,
                  Params()
                      .add(queue_id)
                      .add(std::string_view(id_array))
                      .add(std::string_view(int64_array(lease_tokens)))
                      .add(now_ms),
                  std::move(first));
  // As if one by one: the first of two identical receipts wins, the second finds nothing.
  std::vector<bool> results(leases.size(), false);
  for (int r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < leases.size(); ++i) {
      if (ids[i] == rows.int64(r, 0) && lease_tokens[i] == rows.int64(r, 1)) {
        results[i] = true;
        break;
      }
    }
  }
  // Only a FIFO ack can make something receivable (the group's next head).
  if (rows.size() > 0 && is_fifo(queue_id)) note_messages(queue_id);
  return results;
}

bool PostgresStore::change_visibility(std::int64_t queue_id, const core::LeaseRef& lease,
                                      std::int64_t visible_at_ms, std::int64_t now_ms) {
  const core::VisibilityChange change{lease, visible_at_ms};
  return change_visibility_many(queue_id, std::span(&change, 1), now_ms).front();
}

std::vector<bool> PostgresStore::change_visibility_many(std::int64_t queue_id,
                                                        std::span<const core::VisibilityChange> changes,
                                                        std::int64_t now_ms) {
  MergedChanges merged = merged_changes(changes, now_ms);
  std::vector<std::int64_t> ids, lease_tokens, visible_ats;
  for (const core::VisibilityChange& row : merged.rows) {
    ids.push_back(row.lease.message_id);
    lease_tokens.push_back(token_column(row.lease.lease_token));
    visible_ats.push_back(row.visible_at_ms);
  }
  Rows rows = run(visibility_sql, Params()
                                      .add(queue_id)
                                      .add(now_ms)
                                      .add(std::string_view(int64_array(ids)))
                                      .add(std::string_view(int64_array(lease_tokens)))
                                      .add(std::string_view(int64_array(visible_ats))));
  std::vector<bool> current(merged.rows.size(), false);  // per row: the lease was current
  for (int r = 0; r < rows.size(); ++r) {
    for (std::size_t i = 0; i < merged.rows.size(); ++i) {
      if (ids[i] == rows.int64(r, 0) && lease_tokens[i] == rows.int64(r, 1)) current[i] = true;
    }
  }
  std::vector<bool> results(changes.size(), false);
  for (std::size_t c = 0; c < changes.size(); ++c) {
    results[c] = merged.applies_if_current[c] && current[merged.row_of[c]];
  }
  if (rows.size() > 0) note_messages(queue_id);
  return results;
}

std::int64_t PostgresStore::redrive(const core::QueueRecord& dead_letter_queue,
                                    const std::optional<core::QueueRecord>& to, std::int64_t max,
                                    std::int64_t now_ms) {
  constexpr std::int64_t chunk = 256;
  std::map<std::int64_t, std::optional<bool>> source_kind;  // source queue id -> fifo, nullopt: deleted
  std::int64_t moved = 0;
  std::int64_t after_id = 0;
  while (moved < max) {
    Rows candidates = run(
        "SELECT s.message_id, m.source_queue_id, m.group_id FROM queue_message_state s "
        "JOIN queue_messages m ON m.id = s.message_id "
        "WHERE s.queue_id = $1 AND s.blocked = false AND s.visible_at <= $2 AND s.message_id > $3 "
        "ORDER BY s.message_id LIMIT $4 FOR UPDATE OF s SKIP LOCKED",
        Params().add(dead_letter_queue.id).add(now_ms).add(after_id).add(std::min(chunk, max - moved)));
    if (candidates.size() == 0) break;
    // Targets in order of first appearance, each with its messages in id order.
    std::vector<std::pair<std::int64_t, bool>> targets;
    std::map<std::int64_t, std::vector<Movable>> by_target;
    for (int r = 0; r < candidates.size(); ++r) {
      after_id = candidates.int64(r, 0);
      std::int64_t target;
      bool target_fifo;
      if (to) {
        target = to->id;
        target_fifo = to->attributes.fifo;
      } else {
        auto source = candidates.optional_int64(r, 1);
        if (!source) continue;  // not a dead letter: only `to` can move it
        auto [it, inserted] = source_kind.try_emplace(*source);
        if (inserted) {
          Rows kind = run("SELECT fifo FROM queue_queues WHERE id = $1", Params().add(*source));
          if (kind.size() > 0) it->second = kind.boolean(0, 0);  // not is_fifo(): a deleted source matters here
        }
        if (!it->second) continue;  // its source queue was deleted: only `to` can move it
        target = *source;
        target_fifo = *it->second;
      }
      auto& list = by_target[target];
      if (list.empty()) targets.emplace_back(target, target_fifo);
      list.push_back(Movable{candidates.int64(r, 0), candidates.optional_text(r, 2)});
    }
    for (const auto& [target, target_fifo] : targets) {
      moved += move_messages(dead_letter_queue, target, target_fifo, by_target[target], std::nullopt,
                             /*reset_receive_count=*/true, now_ms);
    }
  }
  return moved;
}

std::vector<core::StoredMessage> PostgresStore::peek(std::int64_t queue_id, core::PeekState state, std::size_t limit,
                                                     std::int64_t now_ms, const std::optional<core::PeekCursor>& after) {
  // ($4, $5) is the cursor; without one it lies before every row. A row value keeps
  // a later page an index range scan starting where the last one stopped.
  std::string_view sql;
  switch (state) {
    case core::PeekState::visible:
      sql = "SELECT m.id, m.body, m.attributes, s.receive_count, m.sent_at, s.visible_at, m.group_id "
            "FROM queue_message_state s JOIN queue_messages m ON m.id = s.message_id "
            "WHERE s.queue_id = $1 AND s.visible_at <= $2 AND (s.sent_at, s.message_id) > ($4, $5) "
            "ORDER BY s.sent_at, s.message_id LIMIT $3";
      break;
    case core::PeekState::in_flight:
      sql = "SELECT m.id, m.body, m.attributes, s.receive_count, m.sent_at, s.visible_at, m.group_id "
            "FROM queue_message_state s JOIN queue_messages m ON m.id = s.message_id "
            "WHERE s.queue_id = $1 AND s.blocked = false AND s.visible_at > $2 AND s.lease_token IS NOT NULL "
            "AND (s.visible_at, s.message_id) > ($4, $5) ORDER BY s.visible_at, s.message_id LIMIT $3";
      break;
    case core::PeekState::delayed:
      sql = "SELECT m.id, m.body, m.attributes, s.receive_count, m.sent_at, s.visible_at, m.group_id "
            "FROM queue_message_state s JOIN queue_messages m ON m.id = s.message_id "
            "WHERE s.queue_id = $1 AND s.visible_at > $2 AND s.lease_token IS NULL "
            "AND (s.visible_at, s.message_id) > ($4, $5) ORDER BY s.visible_at, s.message_id LIMIT $3";
      break;
  }
  const core::PeekCursor from = after.value_or(core::PeekCursor{std::numeric_limits<std::int64_t>::min(), 0});
  Rows rows = run(sql, Params().add(queue_id).add(now_ms).add(static_cast<std::int64_t>(limit)).add(from.at_ms).add(from.id));
  std::vector<core::StoredMessage> messages;
  messages.reserve(static_cast<std::size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) messages.push_back(read_stored(rows, r));
  return messages;
}

std::optional<core::FoundMessage> PostgresStore::find_message(std::int64_t queue_id, std::int64_t message_id,
                                                              std::int64_t now_ms) {
  Rows rows = run(
      "SELECT m.id, m.body, m.attributes, s.receive_count, m.sent_at, s.visible_at, m.group_id, "
      "s.lease_token IS NOT NULL FROM queue_message_state s JOIN queue_messages m ON m.id = s.message_id "
      "WHERE s.message_id = $1 AND s.queue_id = $2",
      Params().add(message_id).add(queue_id));
  if (rows.size() == 0) return std::nullopt;
  core::FoundMessage found{read_stored(rows, 0), core::PeekState::visible};
  // As peek and stats tell them apart (schema.h): visible_at, then the lease.
  if (found.message.visible_at_ms > now_ms) {
    found.state = rows.boolean(0, 7) ? core::PeekState::in_flight : core::PeekState::delayed;
  }
  return found;
}

std::int64_t PostgresStore::expire_queue(std::int64_t queue_id, bool fifo, std::int64_t cutoff_ms,
                                         std::int64_t limit) {
  // FIFO: deleting a head promotes the next; hold the queue against every other
  // group change meanwhile (one lock, however many groups the sweep touches).
  std::vector<Statement> first;
  if (fifo) first.push_back(lock_queue_exclusively(queue_id));
  Rows rows = run(R"sql(
WITH doomed AS (
  SELECT m.id, m.group_id, s.blocked FROM queue_messages m JOIN queue_message_state s ON s.message_id = m.id
  WHERE m.queue_id = $1 AND m.sent_at < $2 ORDER BY m.sent_at LIMIT $3
  FOR UPDATE OF m SKIP LOCKED),
ds AS (DELETE FROM queue_message_state WHERE message_id IN (SELECT id FROM doomed)),
dm AS (DELETE FROM queue_messages WHERE id IN (SELECT id FROM doomed)),
heads AS (
  SELECT (SELECT o.id FROM queue_messages o
          WHERE o.queue_id = $1 AND o.group_id = g.group_id AND o.id NOT IN (SELECT id FROM doomed)
          ORDER BY o.id LIMIT 1) AS id
  FROM (SELECT DISTINCT group_id FROM doomed WHERE NOT blocked AND group_id IS NOT NULL) g),
promoted AS (UPDATE queue_message_state s SET blocked = false FROM heads WHERE s.message_id = heads.id)
SELECT count(*) FROM doomed
)sql",
                  Params().add(queue_id).add(cutoff_ms).add(limit), std::move(first));
  std::int64_t deleted = rows.int64(0, 0);
  if (deleted > 0 && fifo) note_messages(queue_id);
  return deleted;
}

std::int64_t PostgresStore::expire(std::int64_t now_ms, std::int64_t limit) {
  // One probe of queue_messages_age per queue finds the few queues with anything to expire.
  Rows due = run(
      "SELECT q.id, q.fifo, $1 - q.retention_s * 1000::bigint FROM queue_queues q WHERE EXISTS "
      "(SELECT 1 FROM queue_messages m WHERE m.queue_id = q.id AND m.sent_at < $1 - q.retention_s * 1000::bigint)",
      Params().add(now_ms));
  std::int64_t deleted = 0;
  for (int r = 0; r < due.size() && deleted < limit; ++r) {
    deleted += expire_queue(due.int64(r, 0), due.boolean(r, 1), due.int64(r, 2), limit - deleted);
  }
  run("DELETE FROM queue_dedup WHERE expires_at <= $1", Params().add(now_ms));
  fold_counts();
  return deleted;
}

}  // namespace queue::storage::postgres
