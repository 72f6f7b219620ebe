// SqliteStore: opening, transactions, queue rows, stats and wake-up times.
#include "queue/storage/sqlite/sqlite_store.h"

#include <stdexcept>

#include "queue/storage/sqlite/schema.h"

namespace queue::storage::sqlite {
namespace {

constexpr std::string_view queue_columns =
    "id, name, created_at, visibility_timeout_s, retention_s, delay_s, max_message_bytes, fifo, dedup_window_s, "
    "dead_letter_queue, dead_letter_max_receives, paused";

core::QueueRecord read_queue(const Query& row) {
  core::QueueRecord record;
  record.id = row.int64(0);
  record.name = row.text(1);
  record.created_at_ms = row.int64(2);
  core::QueueAttributes& a = record.attributes;
  a.visibility_timeout_s = static_cast<int>(row.int64(3));
  a.retention_s = static_cast<int>(row.int64(4));
  a.delay_s = static_cast<int>(row.int64(5));
  a.max_message_bytes = static_cast<int>(row.int64(6));
  a.fifo = row.int64(7) != 0;
  a.dedup_window_s = static_cast<int>(row.int64(8));
  if (auto dead_letter = row.optional_text(9)) {
    a.dead_letter = core::DeadLetterPolicy{*dead_letter, static_cast<int>(row.int64(10))};
  }
  a.paused = row.int64(11) != 0;
  return record;
}

// Binds attributes as parameters first..first+8 in queue_columns order (from visibility_timeout_s).
void bind_attributes(Query& query, int first, const core::QueueAttributes& a) {
  query.bind(first, std::int64_t{a.visibility_timeout_s})
      .bind(first + 1, std::int64_t{a.retention_s})
      .bind(first + 2, std::int64_t{a.delay_s})
      .bind(first + 3, std::int64_t{a.max_message_bytes})
      .bind(first + 4, std::int64_t{a.fifo ? 1 : 0})
      .bind(first + 5, std::int64_t{a.dedup_window_s});
  if (a.dead_letter) {
    query.bind(first + 6, std::string_view(a.dead_letter->queue)).bind(first + 7, std::int64_t{a.dead_letter->max_receives});
  } else {
    query.bind_null(first + 6).bind_null(first + 7);
  }
  query.bind(first + 8, std::int64_t{a.paused ? 1 : 0});
}

std::string single_text(Database& db, const char* sql) {
  auto query = db.query(sql);
  return query.step() ? query.text(0) : std::string();
}

std::int64_t count(Database& db, std::string_view sql, std::int64_t queue_id, std::int64_t now_ms) {
  auto query = db.query(sql);
  query.bind(1, queue_id).bind(2, now_ms);
  return query.step() ? query.int64(0) : 0;
}

bool in_memory(const std::string& filename) { return filename.empty() || filename == ":memory:"; }

std::runtime_error cannot_open(const std::string& filename, std::string_view why) {
  return std::runtime_error("cannot open SQLite database " + filename + ": " + std::string(why));
}

std::unique_ptr<FileLock> own(const std::string& filename) {
  if (in_memory(filename)) return nullptr;
  try {
    return std::make_unique<FileLock>(filename);
  } catch (const std::runtime_error& e) {
    throw cannot_open(filename, e.what());
  }
}

}  // namespace

SqliteStore::SqliteStore(const std::string& filename, Durability durability, CheckpointLimits limits)
    : owner_(own(filename)),
      db_(filename),
      durability_(durability),
      flushing_(durability == Durability::fsync) {
  try {
    std::string mode = single_text(db_, "PRAGMA journal_mode = WAL");
    if (!in_memory(filename) && mode != "wal") {
      throw std::runtime_error("cannot switch " + filename + " to WAL mode (got \"" + mode + "\")");
    }
    db_.exec(durability == Durability::fsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    db_.exec("PRAGMA temp_store = MEMORY");
    db_.exec("PRAGMA cache_size = -16384");  // 16 MiB: hot index pages stay, RSS stays small
    db_.exec("PRAGMA busy_timeout = 2000");
    migrate(db_);
    if (!in_memory(filename)) {
      checkpointer_ = std::make_unique<Checkpointer>(filename, limits);
      // Replaces SQLite's automatic checkpoint (wal_autocheckpoint) on this connection.
      sqlite3_wal_hook(db_.handle(), &SqliteStore::on_wal_commit, this);
    }
  } catch (const core::StoreError& e) {
    throw cannot_open(filename, e.what());
  }
}

SqliteStore::~SqliteStore() {
  if (checkpointer_) sqlite3_wal_hook(db_.handle(), nullptr, nullptr);
}

int SqliteStore::on_wal_commit(void* store, sqlite3* db, const char* /*schema*/, int pages) {
  auto* self = static_cast<SqliteStore*>(store);
  // The hook runs after COMMIT, between two transactions: see checkpointer.h.
  if (self->checkpointer_->wal_grew(pages)) self->checkpointer_->finish_on(db);
  return SQLITE_OK;
}

void SqliteStore::begin(bool durable) {
  // In WAL mode NORMAL skips the fsync at commit; the next FULL commit's fsync of
  // the WAL covers the frames written before it (see store.h).
  bool flush = durable && durability_ == Durability::fsync;
  if (flush != flushing_) {
    db_.query(flush ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL").run();
    flushing_ = flush;
  }
  db_.query("BEGIN").run();
}
void SqliteStore::commit() { db_.query("COMMIT").run(); }
void SqliteStore::rollback() noexcept {
  if (!db_.in_transaction()) return;
  try {
    db_.query("ROLLBACK").run();
  } catch (...) {
    // SQLite rolls back by itself when ROLLBACK cannot run; nothing more to do.
  }
}
void SqliteStore::savepoint() { db_.query("SAVEPOINT op").run(); }
void SqliteStore::release_savepoint() { db_.query("RELEASE op").run(); }
void SqliteStore::rollback_to_savepoint() {
  // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
  db_.query("ROLLBACK TO op").run();
  db_.query("RELEASE op").run();
}

std::optional<core::QueueRecord> SqliteStore::find_queue(std::string_view name) {
  static const std::string sql = "SELECT " + std::string(queue_columns) + " FROM queues WHERE name = ?1";
  auto query = db_.query(sql);
  query.bind(1, name);
  if (!query.step()) return std::nullopt;
  return read_queue(query);
}

std::optional<bool> SqliteStore::queue_is_fifo(std::int64_t queue_id) {
  auto query = db_.query("SELECT fifo FROM queues WHERE id = ?1");
  query.bind(1, queue_id);
  if (!query.step()) return std::nullopt;
  return query.int64(0) != 0;
}

core::QueueRecord SqliteStore::create_queue(std::string_view name, const core::QueueAttributes& attributes,
                                            std::int64_t now_ms) {
  auto query = db_.query(
      "INSERT INTO queues (name, created_at, visibility_timeout_s, retention_s, delay_s, max_message_bytes, fifo, "
      "dedup_window_s, dead_letter_queue, dead_letter_max_receives, paused) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  query.bind(1, name).bind(2, now_ms);
  bind_attributes(query, 3, attributes);
  query.run();
  return core::QueueRecord{db_.last_insert_id(), std::string(name), attributes, now_ms};
}

void SqliteStore::update_queue(std::int64_t queue_id, const core::QueueAttributes& attributes) {
  auto query = db_.query(
      "UPDATE queues SET visibility_timeout_s = ?2, retention_s = ?3, delay_s = ?4, max_message_bytes = ?5, "
      "fifo = ?6, dedup_window_s = ?7, dead_letter_queue = ?8, dead_letter_max_receives = ?9, paused = ?10 "
      "WHERE id = ?1");
  query.bind(1, queue_id);
  bind_attributes(query, 2, attributes);
  query.run();
}

std::vector<std::string> SqliteStore::list_queues(std::string_view prefix, std::string_view after,
                                                  std::size_t limit) {
  // Names are ASCII below 0x7f, so [prefix, prefix + "\x7f") is exactly "starts with prefix".
  std::string upper = std::string(prefix) + "\x7f";
  auto query = db_.query(
      "SELECT name FROM queues WHERE name >= ?1 AND name < ?2 AND name > ?3 ORDER BY name LIMIT ?4");
  query.bind(1, prefix).bind(2, std::string_view(upper)).bind(3, after).bind(4, static_cast<std::int64_t>(limit));
  std::vector<std::string> names;
  while (query.step()) names.push_back(query.text(0));
  return names;
}

std::vector<std::string> SqliteStore::queues_using_dead_letter(std::string_view name, std::size_t limit) {
  auto query = db_.query("SELECT name FROM queues WHERE dead_letter_queue = ?1 ORDER BY name LIMIT ?2");
  query.bind(1, name).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> names;
  while (query.step()) names.push_back(query.text(0));
  return names;
}

void SqliteStore::delete_queue(std::int64_t queue_id) {
  db_.query("DELETE FROM messages WHERE queue_id = ?1").bind(1, queue_id).run();
  db_.query("DELETE FROM dedup WHERE queue_id = ?1").bind(1, queue_id).run();
  db_.query("DELETE FROM queues WHERE id = ?1").bind(1, queue_id).run();
  db_.query("DELETE FROM queue_counts WHERE queue_id = ?1").bind(1, queue_id).run();
}

core::QueueStats SqliteStore::stats(std::int64_t queue_id, std::int64_t now_ms) {
  // Never a count of the backlog: the total comes from queue_counts (kept by triggers),
  // and only messages not yet receivable (in flight or delayed, which visible_at > now
  // finds in messages_ready) are counted. So a queue of 10^6 ready messages costs a
  // few index lookups; the cost grows with what is in flight or delayed, not with
  // what waits. `blocked IN (0, 1)` turns each count into two range scans.
  core::QueueStats stats;
  std::int64_t total = 0;
  {
    auto query = db_.query("SELECT messages FROM queue_counts WHERE queue_id = ?1");
    query.bind(1, queue_id);
    if (query.step()) total = query.int64(0);
  }
  std::int64_t later = count(
      db_, "SELECT count(*) FROM messages WHERE queue_id = ?1 AND blocked IN (0, 1) AND visible_at > ?2", queue_id,
      now_ms);
  stats.visible = total - later;
  // Only heads are ever leased, so in-flight messages are all unblocked.
  stats.in_flight = count(
      db_,
      "SELECT count(*) FROM messages WHERE queue_id = ?1 AND blocked = 0 AND visible_at > ?2 AND lease_token IS NOT NULL",
      queue_id, now_ms);
  stats.delayed = later - stats.in_flight;
  // The first entry of messages_age for the queue: one index lookup.
  auto oldest = db_.query("SELECT min(sent_at) FROM messages WHERE queue_id = ?1");
  oldest.bind(1, queue_id);
  if (oldest.step() && !oldest.is_null(0)) stats.oldest_age_s = std::max<std::int64_t>(0, (now_ms - oldest.int64(0)) / 1000);
  return stats;
}

std::optional<std::int64_t> SqliteStore::next_visible_at(std::int64_t queue_id, std::int64_t now_ms) {
  auto query = db_.query("SELECT min(visible_at) FROM messages WHERE queue_id = ?1 AND blocked = 0 AND visible_at > ?2");
  query.bind(1, queue_id).bind(2, now_ms);
  if (!query.step()) return std::nullopt;
  return query.optional_int64(0);
}

}  // namespace queue::storage::sqlite
