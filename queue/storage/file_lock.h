// Holds an exclusive advisory lock (flock) on a file for as long as the object lives.
//
// Why: one Queue process owns a database (SQLite file or message log directory) (the engine caches queue rows and
// parks long polls in memory, so a second writer would break both). SQLite's own
// locking_mode=EXCLUSIVE would say so too, but it rules out the second connection
// the checkpointer needs (checkpointer.h). flock locks are independent of the
// POSIX record locks SQLite takes, and the OS drops them when the process dies, so
// a restart after kill -9 opens normally.
#pragma once

#include <string>

namespace queue::storage {

class FileLock {
 public:
  // Creates `path` if missing. Throws std::runtime_error when another process (or
  // another FileLock in this one) holds it.
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace queue::storage
