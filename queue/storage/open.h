// Opening a storage engine from a database URL (QUEUE_DATABASE_URL).
//
//   log:relative/dir          the message log (the embedded default; log_store.h) in a
//   log:/abs/dir              directory, created if missing; ?segment_mib=N sets the
//   log:///abs/dir            segment size (2..2048, default 16)
//   sqlite:relative/path      relative to the working directory
//   sqlite:/abs/path          absolute
//   sqlite:///abs/path        absolute (URL form)
//   sqlite::memory:           a private in-memory database (tests)
//   postgres://user:password@host:port/dbname?sslmode=require   (or postgresql://)
//                             PostgreSQL, shared by any number of Queue processes
//                             (any libpq URL parameter works)
//
// SQLite: open_store creates the directory and the file, switches to WAL with
// synchronous=FULL (Durability::fsync: a commit survives power loss) or NORMAL
// (Durability::os: survives a process crash; the OS flushes later).
// PostgreSQL: open_store connects; Durability::fsync commits every batch that must
// survive with synchronous_commit=on, Durability::os with off (survives a crash of
// Queue; the server flushes within a fraction of a second).
// Both migrate the schema to the current version. open_store throws
// std::runtime_error with a message an operator can act on ("cannot create
// directory ./data: Permission denied", "cannot open PostgreSQL database: ...").
//
// The log: open_store creates the directory, takes its LOCK, and recovers the index
// from the segments; Durability::fsync makes every durable commit fdatasync, os never.
// A pool (QUEUE_DB_POOL_SIZE): open_stores opens N independent stores, one per
// engine worker of the QueueService. PostgreSQL already keeps every rule between
// connections (it does so between processes), so N connections in one process are
// N processes to it. SQLite and the log have one writer (and an in-memory SQLite
// database is private to its connection): they run on exactly one store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "queue/core/store.h"
#include "queue/storage/database_url.h"

namespace queue::storage {

enum class Durability { fsync, os };

struct StoreOptions {
  std::string database_url = "log:./data/queue";
  Durability durability = Durability::fsync;
  // Stores open_stores opens; absent: the engine's default (default_pool_size).
  std::optional<int> pool_size = std::nullopt;
};

inline constexpr int max_pool_size = 64;

std::unique_ptr<core::Store> open_store(const StoreOptions& options);
// options.pool_size stores (resolve_pool_size). Throws like open_store, and
// std::runtime_error when the engine cannot run that many.
std::vector<std::unique_ptr<core::Store>> open_stores(const StoreOptions& options);

// 1 for the log and SQLite; 4 for PostgreSQL: enough to overlap round trips and commits on a
// multi-core server while each engine still batches what arrives meanwhile.
int default_pool_size(Engine engine);
// `requested`, or the default when absent. Throws std::runtime_error saying why
// when out of [1, max_pool_size], or other than 1 on an embedded engine.
int resolve_pool_size(Engine engine, std::optional<int> requested);

// "fsync" or "os" (QUEUE_DURABILITY); throws std::runtime_error otherwise.
Durability parse_durability(const std::string& text);

}  // namespace queue::storage
