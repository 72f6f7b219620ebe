// The SQLite schema and its migrations.
//
// Tables (all times in ms since the epoch, from the service's Clock):
//   queues    one row per queue: its attributes as columns (dead_letter as name +
//             max_receives). AUTOINCREMENT: ids are never reused, so a message that
//             remembers its source queue id can tell "deleted" from "recreated".
//   messages  one row per message in any state. visible_at alone encodes the state:
//             receivable iff visible_at <= now; in flight iff lease_token IS NOT NULL
//             and visible_at > now; delayed otherwise. `blocked` is 1 for FIFO
//             messages queued behind their group's head (see store.h). AUTOINCREMENT
//             ids are the public message ids: never reused, even after deletes.
//   dedup     (queue, dedup_id) -> original message id, until expires_at.
//   queue_counts  messages per queue, kept by triggers on messages (version 2), so
//             stats need not count a backlog.
//
// Indexes, chosen so the hot paths are index range scans whose cost does not grow
// with backlog depth:
//   messages_ready (queue_id, blocked, visible_at [, id]) receive, next wake-up, stats
//   messages_age   (queue_id, sent_at)                   retention sweep, oldest age, peek
//   messages_group (queue_id, group_id [, id]) partial   FIFO head lookup and promotion
//
// Migrations: schema_version holds the applied version; open applies the missing
// ones in order inside one transaction, so a crash mid-migration leaves the old
// version intact and a reopen is a no-op.
#pragma once

#include "queue/storage/sqlite/database.h"

namespace queue::storage::sqlite {

inline constexpr int schema_version = 3;

// Brings `db` to schema_version. Throws std::runtime_error when the file holds a
// newer schema than this binary knows, or on any SQLite failure.
void migrate(Database& db);

int current_schema_version(Database& db);

}  // namespace queue::storage::sqlite
