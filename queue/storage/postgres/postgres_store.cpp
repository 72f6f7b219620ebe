// PostgresStore: connection, transactions, notifications, queue rows, stats.
#include "queue/storage/postgres/postgres_store.h"

#include <algorithm>
#include <stdexcept>

#include "common/log.h"

#include "queue/storage/postgres/schema.h"

namespace queue::storage::postgres {
namespace {

// A database that went away is not asked again more often than this: while it is
// down, batches fail at once instead of each waiting for a connection attempt.
constexpr std::chrono::milliseconds reconnect_interval{250};

constexpr std::string_view queue_columns =
    "id, name, created_at, visibility_timeout_s, retention_s, delay_s, max_message_bytes, fifo, dedup_window_s, "
    "dead_letter_queue, dead_letter_max_receives, paused";

core::QueueRecord read_queue(const Rows& rows, int row) {
  core::QueueRecord record;
  record.id = rows.int64(row, 0);
  record.name = rows.text(row, 1);
  record.created_at_ms = rows.int64(row, 2);
  core::QueueAttributes& a = record.attributes;
  a.visibility_timeout_s = static_cast<int>(rows.int64(row, 3));
  a.retention_s = static_cast<int>(rows.int64(row, 4));
  a.delay_s = static_cast<int>(rows.int64(row, 5));
  a.max_message_bytes = static_cast<int>(rows.int64(row, 6));
  a.fifo = rows.boolean(row, 7);
  a.dedup_window_s = static_cast<int>(rows.int64(row, 8));
  if (auto dead_letter = rows.optional_text(row, 9)) {
    a.dead_letter = core::DeadLetterPolicy{*dead_letter, static_cast<int>(rows.int64(row, 10))};
  }
  a.paused = rows.boolean(row, 11);
  return record;
}

// Attributes in queue_columns order, from visibility_timeout_s on.
void add_attributes(Params& params, const core::QueueAttributes& a) {
  params.add(std::int64_t{a.visibility_timeout_s})
      .add(std::int64_t{a.retention_s})
      .add(std::int64_t{a.delay_s})
      .add(std::int64_t{a.max_message_bytes})
      .add(a.fifo)
      .add(std::int64_t{a.dedup_window_s});
  if (a.dead_letter) {
    params.add(std::string_view(a.dead_letter->queue)).add(std::int64_t{a.dead_letter->max_receives});
  } else {
    params.add_null().add_null();
  }
  params.add(a.paused);
}

std::vector<std::string> names(const Rows& rows) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.text(i, 0));
  return out;
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, Durability durability)
    : url_(url), durability_(durability), session_([&] {
        try {
          return Session(url);
        } catch (const core::StoreError& e) {
          throw std::runtime_error(std::string("cannot open PostgreSQL database: ") + e.what());
        }
      }()) {
  try {
    migrate(session_);
    session_.exec("SET synchronous_commit = off");
    channel_ = "queue:" + session_.run("SELECT current_schema()").text(0, 0);
    backend_pid_ = session_.backend_pid();
  } catch (const core::StoreError& e) {
    throw std::runtime_error(std::string("cannot open PostgreSQL database: ") + e.what());
  }
}

PostgresStore::~PostgresStore() { listening_.reset(); }

void PostgresStore::on_external_change(std::function<void(const core::ExternalChange&)> notify) {
  auto filtered = [this, notify = std::move(notify)](const core::ExternalChange& change) {
    if (change.kind == core::ExternalChange::Kind::messages && !serves(change.queue_id)) return;
    notify(change);
  };
  listening_ = ListenerHub::subscribe(url_, channel_, backend_pid_, std::move(filtered));
}

void PostgresStore::note_served(std::int64_t queue_id) {
  std::lock_guard lock(served_mutex_);
  served_.insert(queue_id);
}

bool PostgresStore::serves(std::int64_t queue_id) const {
  std::lock_guard lock(served_mutex_);
  return served_.contains(queue_id);
}

// --- transactions: BEGIN, SAVEPOINT and RELEASE wait in deferred_ for the next
// statement or the COMMIT, and go with it in one round trip. So do plain sends
// (defer()), whose answer is known before they run. An operation that never
// touches the database (answered from the queue cache, say) costs nothing.

void PostgresStore::connect_if_needed() {
  if (session_.connected()) return;
  auto now = std::chrono::steady_clock::now();
  if (now < next_reconnect_) {
    throw core::StoreError(core::ErrorCode::unavailable, "postgres: not connected (reconnecting)");
  }
  next_reconnect_ = now + reconnect_interval;
  session_.reconnect();
  session_.exec("SET synchronous_commit = off");
  backend_pid_ = session_.backend_pid();
}

void PostgresStore::begin(bool durable) {
  connect_if_needed();
  notify_messages_.clear();
  notify_queues_.clear();
  deferred_ = {Statement::simple("BEGIN")};
  if (durable && durability_ == Durability::fsync) {
    deferred_.push_back(Statement::simple("SET LOCAL synchronous_commit = on"));
  }
  deferred_writes_ = 0;
  poisoned_ = false;
  in_transaction_ = true;
  savepoint_pending_ = false;
  savepoint_open_ = false;
}

void PostgresStore::open_pending_savepoint() {
  if (!savepoint_pending_) return;
  deferred_.push_back(Statement::simple("SAVEPOINT op"));
  savepoint_pending_ = false;
  savepoint_open_ = true;
}

void PostgresStore::defer(std::string_view sql, Params params) {
  open_pending_savepoint();
  deferred_.push_back(Statement::with_params(std::string(sql), std::move(params)));
  ++deferred_writes_;
}

std::vector<Rows> PostgresStore::flush(std::vector<Statement> then, int* completed) {
  if (poisoned_) {
    throw core::StoreError(core::ErrorCode::unavailable,
                           "postgres: an earlier write of this batch failed; the batch is rolled back");
  }
  std::vector<Statement> statements = std::move(deferred_);
  deferred_.clear();
  const bool carries_writes = deferred_writes_ > 0;
  deferred_writes_ = 0;
  for (Statement& statement : then) statements.push_back(std::move(statement));
  try {
    return session_.pipeline(statements, completed);
  } catch (...) {
    // A deferred write of an operation already answered as done failed: no savepoint
    // can give that answer back, so nothing of the batch may commit.
    if (carries_writes) poisoned_ = true;
    throw;
  }
}

Rows PostgresStore::run(std::string_view sql, const Params& params, std::vector<Statement> first) {
  open_pending_savepoint();
  first.push_back(Statement::with_params(std::string(sql), params));
  return std::move(flush(std::move(first)).back());
}

std::vector<Statement> PostgresStore::notify_statements() const {
  // Payloads are our own integers and the channel is quoted: nothing to inject.
  std::vector<Statement> statements;
  std::string channel = quote_identifier(channel_);
  for (std::int64_t id : notify_queues_) {
    statements.push_back(Statement::simple("NOTIFY " + channel + ", 'q:" + std::to_string(id) + "'"));
  }
  for (std::int64_t id : notify_messages_) {
    statements.push_back(Statement::simple("NOTIFY " + channel + ", 'm:" + std::to_string(id) + "'"));
  }
  return statements;
}

void PostgresStore::commit() {
  // RELEASE is implied by COMMIT. The NOTIFYs run after it, in their own
  // transaction with synchronous_commit off: listeners only hear of committed
  // changes, and the global lock NOTIFY takes at commit is never held across a flush.
  savepoint_pending_ = false;
  std::vector<Statement> then;
  then.push_back(Statement::simple("COMMIT"));
  const int through_commit = static_cast<int>(deferred_.size() + 1);
  for (Statement& notify : notify_statements()) then.push_back(std::move(notify));
  int completed = 0;
  try {
    flush(std::move(then), &completed);
  } catch (const core::StoreError& e) {
    // Not committed: the transaction stays open (or aborted) on the server until
    // rollback() ends it, or the next batch's BEGIN would fail as well.
    if (completed < through_commit) throw;
    // Committed: only the wake-up of other processes was lost (their parked
    // receives still look again at their next timer or reconnect).
    common::log::warn("queue_notify_failed", {{"error", e.what()}});
  }
  in_transaction_ = false;
}

void PostgresStore::rollback() noexcept {
  deferred_.clear();
  deferred_writes_ = 0;
  poisoned_ = false;
  bool was_open = in_transaction_;
  in_transaction_ = false;
  savepoint_pending_ = false;
  savepoint_open_ = false;
  if (!was_open || !session_.connected()) return;
  try {
    session_.exec("ROLLBACK");
  } catch (...) {
    // The connection is gone; the server rolled back with it.
  }
}

void PostgresStore::savepoint() { savepoint_pending_ = true; }

void PostgresStore::release_savepoint() {
  savepoint_pending_ = false;
  if (!savepoint_open_) return;
  savepoint_open_ = false;
  deferred_.push_back(Statement::simple("RELEASE op"));
}

void PostgresStore::rollback_to_savepoint() {
  savepoint_pending_ = false;
  if (!savepoint_open_) return;
  savepoint_open_ = false;
  // Cannot wait: until it runs, the transaction refuses every statement.
  std::vector<Statement> then;
  then.push_back(Statement::simple("ROLLBACK TO op"));
  then.push_back(Statement::simple("RELEASE op"));
  flush(std::move(then));
}

// --- queues ---

std::optional<core::QueueRecord> PostgresStore::find_queue(std::string_view name) {
  static const std::string sql = "SELECT " + std::string(queue_columns) + " FROM queue_queues WHERE name = $1";
  Rows rows = run(sql, Params().add(name));
  if (rows.size() == 0) return std::nullopt;
  core::QueueRecord record = read_queue(rows, 0);
  fifo_by_queue_[record.id] = record.attributes.fifo;
  note_served(record.id);
  return record;
}

bool PostgresStore::is_fifo(std::int64_t queue_id) {
  auto found = fifo_by_queue_.find(queue_id);
  if (found != fifo_by_queue_.end()) return found->second;
  Rows rows = run("SELECT fifo FROM queue_queues WHERE id = $1", Params().add(queue_id));
  bool fifo = rows.size() > 0 && rows.boolean(0, 0);
  if (rows.size() > 0) fifo_by_queue_[queue_id] = fifo;
  return fifo;
}

core::QueueRecord PostgresStore::create_queue(std::string_view name, const core::QueueAttributes& attributes,
                                              std::int64_t now_ms) {
  Params params;
  params.add(name).add(now_ms);
  add_attributes(params, attributes);
  Rows rows = run(
      "INSERT INTO queue_queues (name, created_at, visibility_timeout_s, retention_s, delay_s, max_message_bytes, "
      "fifo, dedup_window_s, dead_letter_queue, dead_letter_max_receives, paused) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (name) DO NOTHING RETURNING id",
      params);
  if (rows.size() == 0) {
    throw core::StoreError(core::ErrorCode::conflict, "queue \"" + std::string(name) +
                                                          "\" was created by another request at the same time; "
                                                          "repeat the request to update it");
  }
  core::QueueRecord record{rows.int64(0, 0), std::string(name), attributes, now_ms};
  fifo_by_queue_[record.id] = attributes.fifo;
  return record;
}

void PostgresStore::update_queue(std::int64_t queue_id, const core::QueueAttributes& attributes) {
  Params params;
  params.add(queue_id);
  add_attributes(params, attributes);
  run("UPDATE queue_queues SET visibility_timeout_s = $2, retention_s = $3, delay_s = $4, max_message_bytes = $5, "
      "fifo = $6, dedup_window_s = $7, dead_letter_queue = $8, dead_letter_max_receives = $9, paused = $10 "
      "WHERE id = $1",
      params);
  note_queue(queue_id);
}

std::vector<std::string> PostgresStore::list_queues(std::string_view prefix, std::string_view after,
                                                    std::size_t limit) {
  // Names are ASCII below 0x7f and collate as "C": [prefix, prefix + "\x7f") is "starts with prefix".
  std::string upper = std::string(prefix) + "\x7f";
  return names(run("SELECT name FROM queue_queues WHERE name >= $1 AND name < $2 AND name > $3 ORDER BY name LIMIT $4",
                   Params().add(prefix).add(std::string_view(upper)).add(after).add(static_cast<std::int64_t>(limit))));
}

std::vector<std::string> PostgresStore::queues_using_dead_letter(std::string_view name, std::size_t limit) {
  return names(run("SELECT name FROM queue_queues WHERE dead_letter_queue = $1 ORDER BY name LIMIT $2",
                   Params().add(name).add(static_cast<std::int64_t>(limit))));
}

Statement PostgresStore::lock_queue_exclusively(std::int64_t queue_id) {
  // Waits for every transaction that holds FOR KEY SHARE on the row (sends, moves
  // and FIFO changes in flight); the statements after this one see their rows.
  return Statement::with_params("SELECT 1 FROM queue_queues WHERE id = $1 FOR UPDATE", Params().add(queue_id));
}

void PostgresStore::delete_queue(std::int64_t queue_id) {
  // One round trip, in order: the messages (whose trigger adds one more delta), then
  // the counts row before the deltas, in the order fold_counts takes them, so the
  // two never deadlock.
  std::vector<Statement> first;
  first.push_back(lock_queue_exclusively(queue_id));
  first.push_back(Statement::with_params("WITH s AS (DELETE FROM queue_message_state WHERE queue_id = $1), "
                                         "m AS (DELETE FROM queue_messages WHERE queue_id = $1), "
                                         "d AS (DELETE FROM queue_dedup WHERE queue_id = $1) "
                                         "DELETE FROM queue_queues WHERE id = $1",
                                         Params().add(queue_id)));
  first.push_back(Statement::with_params("DELETE FROM queue_counts WHERE queue_id = $1", Params().add(queue_id)));
  run("DELETE FROM queue_count_deltas WHERE queue_id = $1", Params().add(queue_id), std::move(first));
  note_queue(queue_id);
}

std::int64_t PostgresStore::purge(std::int64_t queue_id) {
  return run("WITH s AS (DELETE FROM queue_message_state WHERE queue_id = $1) "
             "DELETE FROM queue_messages WHERE queue_id = $1",
             Params().add(queue_id), {lock_queue_exclusively(queue_id)})
      .affected();
}

// Never a count of the backlog (see stats_sql in postgres_store.h): the total is the
// folded count plus the deltas committed since, one snapshot for both, so it is
// exact; only what is not receivable yet (visible_at > now) is counted, by ranges of
// queue_message_state_ready, one per value of `blocked`. Only heads are ever
// leased, so in-flight messages are all unblocked. The oldest is the first entry of
// queue_messages_age.
const char* const stats_sql = R"sql(
SELECT coalesce((SELECT messages FROM queue_counts WHERE queue_id = $1), 0)
         + (SELECT coalesce(sum(messages), 0) FROM queue_count_deltas WHERE queue_id = $1)::bigint,
       (SELECT count(*) FROM queue_message_state WHERE queue_id = $1 AND blocked = true AND visible_at > $2),
       unblocked.later, unblocked.leased,
       (SELECT min(sent_at) FROM queue_messages WHERE queue_id = $1)
FROM (SELECT count(*) AS later, count(*) FILTER (WHERE lease_token IS NOT NULL) AS leased
      FROM queue_message_state WHERE queue_id = $1 AND blocked = false AND visible_at > $2) unblocked
)sql";

core::QueueStats PostgresStore::stats(std::int64_t queue_id, std::int64_t now_ms) {
  Rows rows = run(stats_sql, Params().add(queue_id).add(now_ms));
  const std::int64_t total = rows.int64(0, 0);
  const std::int64_t later = rows.int64(0, 1) + rows.int64(0, 2);
  core::QueueStats stats;
  stats.in_flight = rows.int64(0, 3);
  stats.delayed = later - stats.in_flight;
  stats.visible = total - later;
  if (auto oldest = rows.optional_int64(0, 4)) stats.oldest_age_s = std::max<std::int64_t>(0, (now_ms - *oldest) / 1000);
  return stats;
}

void PostgresStore::fold_counts() {
  // Each queue's counts row is locked for the fold, and skipped when another store
  // or process is folding it: folders never wait on each other. Deltas of
  // transactions not committed yet are invisible here, so they stay for the next fold.
  run(R"sql(
WITH folding AS (
  SELECT c.queue_id FROM queue_counts c
  WHERE c.queue_id IN (SELECT DISTINCT queue_id FROM queue_count_deltas)
  FOR UPDATE OF c SKIP LOCKED),
folded AS (
  DELETE FROM queue_count_deltas d USING folding f WHERE d.queue_id = f.queue_id
  RETURNING d.queue_id, d.messages),
sums AS (SELECT queue_id, sum(messages) AS messages FROM folded GROUP BY queue_id)
UPDATE queue_counts c SET messages = c.messages + s.messages FROM sums s WHERE c.queue_id = s.queue_id
)sql");
}

std::optional<std::int64_t> PostgresStore::next_visible_at(std::int64_t queue_id, std::int64_t now_ms) {
  // Runs between batches, outside any transaction.
  note_served(queue_id);
  connect_if_needed();
  Rows rows = session_.run(
      "SELECT min(visible_at) FROM queue_message_state WHERE queue_id = $1 AND blocked = false AND visible_at > $2",
      Params().add(queue_id).add(now_ms));
  return rows.optional_int64(0, 0);
}

}  // namespace queue::storage::postgres
