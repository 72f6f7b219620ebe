#include "queue/storage/sqlite/schema.h"

#include <iterator>
#include <stdexcept>
#include <string>

#include "queue/core/store.h"

namespace queue::storage::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration never changes, a new one gets the next version.
constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE queues (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  visibility_timeout_s INTEGER NOT NULL,
  retention_s INTEGER NOT NULL,
  delay_s INTEGER NOT NULL,
  max_message_bytes INTEGER NOT NULL,
  fifo INTEGER NOT NULL,
  dedup_window_s INTEGER NOT NULL,
  dead_letter_queue TEXT,
  dead_letter_max_receives INTEGER
);
CREATE INDEX queues_dead_letter ON queues (dead_letter_queue) WHERE dead_letter_queue IS NOT NULL;

CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue_id INTEGER NOT NULL,
  blocked INTEGER NOT NULL DEFAULT 0,
  visible_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  lease_token INTEGER,
  group_id TEXT,
  source_queue_id INTEGER,
  body TEXT NOT NULL,
  attributes TEXT
);
CREATE INDEX messages_ready ON messages (queue_id, blocked, visible_at);
CREATE INDEX messages_age ON messages (queue_id, sent_at);
CREATE INDEX messages_group ON messages (queue_id, group_id) WHERE group_id IS NOT NULL;

CREATE TABLE dedup (
  queue_id INTEGER NOT NULL,
  dedup_id TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (queue_id, dedup_id)
) WITHOUT ROWID;
CREATE INDEX dedup_expiry ON dedup (expires_at);
)sql"},
    {2, R"sql(
ALTER TABLE queues ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Messages per queue, kept by triggers in the same transaction as the change, so
    // stats read one row instead of counting a backlog (and stay right across restarts
    // and crashes: the counts commit or roll back with the messages).
    {3, R"sql(
CREATE TABLE queue_counts (
  queue_id INTEGER PRIMARY KEY,
  messages INTEGER NOT NULL
);
INSERT INTO queue_counts (queue_id, messages) SELECT queue_id, count(*) FROM messages GROUP BY queue_id;
CREATE TRIGGER queue_counts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO queue_counts (queue_id, messages) VALUES (NEW.queue_id, 1)
    ON CONFLICT (queue_id) DO UPDATE SET messages = messages + 1;
END;
CREATE TRIGGER queue_counts_delete AFTER DELETE ON messages BEGIN
  UPDATE queue_counts SET messages = messages - 1 WHERE queue_id = OLD.queue_id;
END;
CREATE TRIGGER queue_counts_move AFTER UPDATE OF queue_id ON messages WHEN OLD.queue_id <> NEW.queue_id BEGIN
  UPDATE queue_counts SET messages = messages - 1 WHERE queue_id = OLD.queue_id;
  INSERT INTO queue_counts (queue_id, messages) VALUES (NEW.queue_id, 1)
    ON CONFLICT (queue_id) DO UPDATE SET messages = messages + 1;
END;
)sql"},
};

static_assert(std::size(migrations) == schema_version, "schema_version must name the last migration");

}  // namespace

int current_schema_version(Database& db) {
  auto query = db.query("SELECT coalesce(max(version), 0) FROM schema_version");
  return query.step() ? static_cast<int>(query.int64(0)) : 0;
}

void migrate(Database& db) {
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    int found = current_schema_version(db);
    if (found > schema_version) {
      throw std::runtime_error("the database has schema version " + std::to_string(found) +
                               " but this build knows only up to " + std::to_string(schema_version) +
                               "; run a newer Queue build");
    }
    for (const Migration& migration : migrations) {
      if (migration.version <= found) continue;
      db.exec(migration.sql);
      db.query("INSERT INTO schema_version (version, applied_at) VALUES (?1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))")
          .bind(1, std::int64_t{migration.version})
          .run();
    }
    db.exec("COMMIT");
  } catch (...) {
    if (db.in_transaction()) db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace queue::storage::sqlite
