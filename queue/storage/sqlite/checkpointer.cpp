#include "queue/storage/sqlite/checkpointer.h"

#include <stdexcept>

#include "common/log.h"

namespace queue::storage::sqlite {

Checkpointer::Checkpointer(const std::string& filename, CheckpointLimits limits) : limits_(limits) {
  auto fail = [&](int rc, const char* doing) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    return std::runtime_error("cannot " + std::string(doing) + " " + filename + " for checkpoints: " + message);
  };
  int rc = sqlite3_open_v2(filename.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) throw fail(rc, "open");
  // This connection never commits, so it never checkpoints by itself either; and
  // closing it must not try to checkpoint or delete the WAL under the writer.
  sqlite3_wal_autocheckpoint(db_, 0);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  // A connection learns the file is in WAL mode when it first reads it; until then
  // a checkpoint is a no-op.
  rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw fail(rc, "read");
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  due_changed_.notify_one();
  thread_.join();
  sqlite3_close(db_);
}

bool Checkpointer::wal_grew(int pages) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (pages < wal_pages_) {  // the WAL started over
      backfilled_ = 0;
      ++restarts_;
    }
    wal_pages_ = pages;
    // A pass per `soft_pages` new frames: each costs two fsyncs, whatever it copies.
    if (!due_ && pages - backfilled_ >= limits_.soft_pages) due_ = wake = true;
  }
  if (wake) due_changed_.notify_one();
  return pages >= limits_.hard_pages;
}

void Checkpointer::finish_on(sqlite3* writer) {
  // After this thread's pass (so not BUSY): what remains is the frames committed
  // during it, and no commit can add more while the writer is here.
  std::lock_guard pass(pass_mutex_);
  if (sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) != SQLITE_OK) {
    common::log::warn("queue wal checkpoint failed", {{"error", sqlite3_errmsg(writer)}});
  }
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    due_changed_.wait(lock, [&] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    const std::uint64_t restarts = restarts_;
    lock.unlock();
    int copied = -1;
    {
      std::lock_guard pass(pass_mutex_);
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied) != SQLITE_OK) {
        common::log::warn("queue wal checkpoint failed", {{"error", sqlite3_errmsg(db_)}});
      }
    }
    lock.lock();
    // Frames of this WAL, unless it started over meanwhile.
    if (restarts == restarts_ && copied > backfilled_) backfilled_ = copied;
  }
}

}  // namespace queue::storage::sqlite
