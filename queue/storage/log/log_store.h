// The embedded engine, version 2: core::Store over an append-only message log
// (segments.h, record.h) and an in-memory index (index.h). The default embedded
// engine (QUEUE_DATABASE_URL=log:./data/queue); SQLite stays available.
//
// Why this shape: a 256-byte send on SQLite cost ~12 KiB of WAL, 5 pwrite and 3
// fcntl per commit plus b-tree work, and a second commit for its lease. Here a
// commit is one write of the batch's records (and one fdatasync in fsync mode);
// the index answers everything else from memory. beanstalkd, NATS JetStream,
// RabbitMQ and Kafka store messages the same way.
//
// What is written, what is not:
// - sends, acks, queue changes, dead-letter moves, redrives, purges and retention
//   deletions are records, durable when a durable commit returns;
// - leases and visibility changes live only in memory: after a crash, messages
//   that were in flight are visible again (at-least-once allows it), and a receipt
//   from before the restart is stale;
// - a delivery (receive_count) is recorded lazily, with the next commit that writes
//   anything: a crash may roll receive_count back by the deliveries not yet
//   written (docs/architecture.md).
//
// Transactions: a batch's records collect in memory and reach the disk in commit().
// A savepoint rolled back after the store's state changed (an I/O error in the
// middle of an operation) makes the store rebuild its index from the log after the
// commit; a failed commit rebuilds it at once. Both are what a restart would do.
//
// Space: a send needs room for itself while keeping, allocated, room for an ack of
// every live message (ack_reserve_bytes each), so acks and receives keep working
// on a full disk while sends answer `unavailable`. Segments with nothing live are
// deleted oldest first (a later segment may hold the acks that keep an older one's
// messages dead); a mostly dead oldest segment has its live records copied forward
// by the retention sweep, a bounded amount per pass.
//
// One process owns the directory (an flock on its LOCK file).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "queue/core/store.h"
#include "queue/storage/file_lock.h"
#include "queue/storage/log/file_system.h"
#include "queue/storage/log/index.h"
#include "queue/storage/log/record.h"
#include "queue/storage/log/segments.h"
#include "queue/storage/open.h"

namespace queue::storage::log {

struct LogOptions {
  std::uint64_t segment_bytes = 16ull << 20;
  FileSystem* files = nullptr;  // null: the real one
  // Copy forward at most this many bytes of live records per sweep.
  std::uint64_t compaction_bytes_per_pass = 4ull << 20;
};

inline constexpr std::uint64_t min_segment_bytes = 2ull << 20;  // a 1 MiB message plus its attributes fits
inline constexpr std::uint64_t ack_reserve_bytes = 32;           // per live message: its delete record
inline constexpr std::uint64_t reserve_slack_bytes = 64 << 10;   // segment tails, a purge, a queue delete

class LogStore final : public core::Store {
 public:
  // Opens (creating) the log in `directory` and recovers its index. Throws
  // std::runtime_error an operator can act on.
  LogStore(const std::string& directory, Durability durability, LogOptions options = {});
  ~LogStore() override;

  void begin(bool durable) override;
  void commit() override;
  void rollback() noexcept override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  std::optional<core::QueueRecord> find_queue(std::string_view name) override;
  core::QueueRecord create_queue(std::string_view name, const core::QueueAttributes& attributes,
                                 std::int64_t now_ms) override;
  void update_queue(std::int64_t queue_id, const core::QueueAttributes& attributes) override;
  std::vector<std::string> list_queues(std::string_view prefix, std::string_view after, std::size_t limit) override;
  std::vector<std::string> queues_using_dead_letter(std::string_view name, std::size_t limit) override;
  void delete_queue(std::int64_t queue_id) override;

  std::vector<std::int64_t> send(const core::QueueRecord& queue, std::span<const core::NewMessage> messages,
                                 std::int64_t now_ms) override;
  core::LeaseOutcome receive(const core::QueueRecord& queue, const core::LeaseRequest& request,
                             const core::LeaseTokenSource& tokens) override;
  bool ack(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t now_ms) override;
  std::vector<bool> ack_many(std::int64_t queue_id, std::span<const core::LeaseRef> leases,
                             std::int64_t now_ms) override;
  bool change_visibility(std::int64_t queue_id, const core::LeaseRef& lease, std::int64_t visible_at_ms,
                         std::int64_t now_ms) override;
  std::int64_t purge(std::int64_t queue_id) override;
  std::int64_t redrive(const core::QueueRecord& dead_letter_queue, const std::optional<core::QueueRecord>& to,
                       std::int64_t max, std::int64_t now_ms) override;
  std::vector<core::StoredMessage> peek(std::int64_t queue_id, core::PeekState state, std::size_t limit,
                                        std::int64_t now_ms, const std::optional<core::PeekCursor>& after) override;
  std::optional<core::FoundMessage> find_message(std::int64_t queue_id, std::int64_t message_id,
                                                 std::int64_t now_ms) override;
  core::QueueStats stats(std::int64_t queue_id, std::int64_t now_ms) override;
  std::uint64_t deduplicated_count() const override { return deduplicated_; }
  void observe(std::shared_ptr<core::StorageObserver> observer) override { observer_ = std::move(observer); }
  std::int64_t expire(std::int64_t now_ms, std::int64_t limit) override;
  std::optional<std::int64_t> next_visible_at(std::int64_t queue_id, std::int64_t now_ms) override;

  // For tests and the benchmark: segment files holding records now.
  std::size_t segment_count() const { return segments_.in_use().size(); }
  std::size_t message_count() const { return index_.message_count(); }

 private:
  // recovery.cpp
  void recover();
  // False: the record cannot be applied (malformed payload): replay treats it as corrupt.
  bool apply(const Framed& record, Location where);
  // Makes sure a queue a record refers to exists during replay (see recovery.cpp).
  void known_queue(std::uint64_t id);
  void rebuild() noexcept;

  // compaction.cpp: the sweep's share of reclaiming space.
  void reclaim_space(std::int64_t now_ms);
  bool copy_forward(std::uint32_t segment, std::uint64_t budget, std::int64_t now_ms);

  // Room for `bytes` more while every live message can still be acked; throws
  // StoreError(unavailable) when the disk is full.
  void need_room(std::uint64_t bytes, std::uint64_t extra_messages = 0);
  // `use_slack`: may use reserve_slack_bytes too (compaction, see compaction.cpp).
  bool has_room(std::uint64_t bytes, std::uint64_t extra_messages = 0, bool use_slack = false);
  Location append(const std::string& record);
  void changed() { ++changes_; }
  core::StoredMessage read_message(std::uint64_t id, const Slot& slot);
  QueueState& queue_state(std::int64_t queue_id);
  void delete_ids(std::span<const std::uint64_t> ids);
  // Records deliveries with this commit if it writes anyway (or `force`).
  void flush_deliveries(bool force = false);

  std::string directory_;
  Durability durability_;
  LogOptions options_;
  FileSystem& files_;
  std::unique_ptr<FileLock> owner_;
  Segments segments_;
  Index index_;

  bool durable_ = false;
  std::uint64_t deduplicated_ = 0;                   // sends answered with an earlier id
  std::shared_ptr<core::StorageObserver> observer_;  // told each fdatasync's duration
  Segments::Mark begin_mark_;
  Segments::Mark savepoint_mark_;
  std::uint64_t changes_ = 0;
  std::uint64_t begin_changes_ = 0;
  std::uint64_t savepoint_changes_ = 0;
  bool rebuild_after_commit_ = false;
  std::uint64_t next_message_id_ = 1;
  std::uint64_t next_queue_id_ = 1;
  std::vector<std::uint64_t> deliveries_;     // received, not yet recorded (see the top)
  std::vector<std::uint32_t> to_remove_;      // segments to delete once this commit is synced
  // Replay only: the first queue_put of each queue id in the log, the queues deleted
  // so far, and whether a record referred to a queue not known yet.
  std::unordered_map<std::uint64_t, std::pair<core::QueueRecord, Location>> queue_records_;
  std::unordered_set<std::uint64_t> deleted_queues_;
  bool queue_missing_ = false;
  Segments::Bytes compacting_bytes_;          // the oldest segment's bytes while it is compacted
  std::uint32_t compacting_segment_ = 0;
  std::size_t compacting_offset_ = 0;
};

}  // namespace queue::storage::log
