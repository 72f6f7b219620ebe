// The PostgreSQL schema and its migrations.
//
// Every table is prefixed `queue_` and lives in the connection's current schema (the
// first of search_path, `public` by default), so Queue can share a database with
// Raptor, and tests isolate themselves with `?options=-csearch_path%3D<schema>`.
//
// Tables (times in ms since the epoch, from the service's Clock):
//   queue_queues         one row per queue, attributes as columns.
//   queue_messages       what a message IS: body, attributes, group, sent_at. Written
//                        once at send, deleted at ack; only dead-letter moves and
//                        redrives update it. Wide rows never churn.
//   queue_message_state  what a message's STATE is: visible_at, lease_token,
//                        receive_count, blocked (FIFO: queued behind its group's head).
//                        One narrow row per message: a lease updates ~70 bytes here
//                        instead of copying the whole message, so the dead tuples a
//                        queue produces (the "Postgres queue bloat" of River and pgmq
//                        users) are small, and autovacuum is tuned to reclaim them early.
//   queue_dedup          (queue, dedup_id) -> first message id, until expires_at; its
//                        primary key is what makes dedup hold across processes.
//   queue_counts         queue -> messages, as of the last fold.
//   queue_count_deltas   queue -> +/- messages, one row per queue per committed
//                        statement that changed the count (triggers), until the
//                        sweep folds it into queue_counts. Insert-only for writers:
//                        no row that concurrent sends and acks would queue up on.
//
// Indexes, chosen so the hot paths are index range scans bounded by their LIMIT:
//   queue_message_state_ready (queue_id, blocked, visible_at, message_id): receive, wake-ups, stats
//   queue_messages_age        (queue_id, sent_at): retention sweep, oldest age
//   queue_messages_group      (queue_id, group_id, id) partial: FIFO head lookup and promotion
//   queue_count_deltas_queue  (queue_id): a queue's unfolded deltas (stats, fold)
//
// Migrations: queue_schema_version holds the applied versions. open applies the
// missing ones in one transaction while holding a session advisory lock keyed by the
// schema name, so processes starting together migrate once and the others wait, then
// find nothing to do.
#pragma once

#include "queue/storage/postgres/session.h"

namespace queue::storage::postgres {

inline constexpr int schema_version = 3;

// Brings the current schema to schema_version. Throws std::runtime_error when the
// database holds a newer schema than this build knows, or is not UTF8; StoreError
// when the server fails.
void migrate(Session& session);

}  // namespace queue::storage::postgres
