// Checkpoints the WAL from a thread and a connection of its own, so that requests do
// not wait for it.
//
// Why. Every commit appends pages to the -wal file; a checkpoint copies them into the
// database file and fsyncs both, after which writers start the WAL over. Left to
// SQLite (wal_autocheckpoint), that checkpoint runs inside the commit that crosses
// 1,000 pages: a stall of a few milliseconds every few hundred messages, for every
// request of that batch and all queued behind it, which was most of Queue's p99 per
// call in os mode (docs/performance.md). So the store's connection turns automatic
// checkpoints off and reports the WAL's length after each commit (wal_grew(), from
// sqlite3_wal_hook); past `soft_pages` this thread runs a PASSIVE checkpoint, which
// copies while the writer keeps committing.
//
// A passive checkpoint alone does not bound the file: the writer starts the WAL over
// only when a checkpoint has copied every frame, and under steady writes new frames
// always arrive while one runs. So past `hard_pages` the writer finishes the job
// itself, between two transactions (finish_on): by then this thread has copied all
// but the frames of its last pass, so that checkpoint is short, and the next commit
// starts the WAL over. One such stall every `hard_pages` instead of every 1,000.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace queue::storage::sqlite {

struct CheckpointLimits {
  int soft_pages = 1'000;   // SQLite's own default for wal_autocheckpoint
  int hard_pages = 16'000;  // 64 MiB of 4 KiB pages
};

class Checkpointer {
 public:
  // Opens its own connection to `filename` (already in WAL mode). Throws
  // std::runtime_error when it cannot.
  Checkpointer(const std::string& filename, CheckpointLimits limits);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The writer's connection committed and its WAL now holds `pages` pages. Returns
  // true when the writer should call finish_on() now (see above).
  bool wal_grew(int pages);
  // On the writer's thread, between transactions: waits for this thread's pass to
  // end, then checkpoints the rest on `writer`, so that its next commit starts the
  // WAL over.
  void finish_on(sqlite3* writer);

 private:
  void run();

  const CheckpointLimits limits_;
  sqlite3* db_ = nullptr;
  std::mutex pass_mutex_;  // held during a checkpoint, by this thread or the writer
  std::mutex mutex_;
  std::condition_variable due_changed_;
  bool due_ = false;
  bool stopping_ = false;
  int wal_pages_ = 0;           // the WAL's length at the last commit
  int backfilled_ = 0;          // of which checkpointed, as of this thread's last pass
  std::uint64_t restarts_ = 0;  // times the WAL started over
  std::thread thread_;
};

}  // namespace queue::storage::sqlite
