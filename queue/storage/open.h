// Opening a storage engine from a database URL (QUEUE_DATABASE_URL).
//
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
#pragma once

#include <memory>
#include <string>

#include "queue/core/store.h"

namespace queue::storage {

enum class Durability { fsync, os };

struct StoreOptions {
  std::string database_url = "sqlite:./data/queue.db";
  Durability durability = Durability::fsync;
};

std::unique_ptr<core::Store> open_store(const StoreOptions& options);

// "fsync" or "os" (QUEUE_DURABILITY); throws std::runtime_error otherwise.
Durability parse_durability(const std::string& text);

}  // namespace queue::storage
