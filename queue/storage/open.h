// Opening a storage engine from a database URL (QUEUE_DATABASE_URL).
//
//   sqlite:relative/path      relative to the working directory
//   sqlite:/abs/path          absolute
//   sqlite:///abs/path        absolute (URL form)
//   sqlite::memory:           a private in-memory database (tests)
//   postgres://...            not built yet (issue 5)
//
// open_store creates the directory and the file, switches SQLite to WAL with
// synchronous=FULL (Durability::fsync: a commit survives power loss) or NORMAL
// (Durability::os: survives a process crash; the OS flushes later), and migrates
// the schema to the current version. It throws std::runtime_error with a message
// an operator can act on ("cannot create directory ./data: Permission denied").
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
