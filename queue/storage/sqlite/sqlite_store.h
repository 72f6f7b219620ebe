// The embedded engine: core::Store over one SQLite connection (schema.h).
//
// The connection is opened in WAL mode, and this process owns the file for as long
// as it runs (file_lock.h): another Queue process on the same file fails at open
// with "is another Queue process using it?". A restart after kill -9 opens normally
// and WAL recovery replays every committed batch. WAL checkpoints run on a thread of
// their own (checkpointer.h), not inside a request's commit.
//
// Queue operations live in sqlite_store.cpp, message operations in
// sqlite_messages.cpp.
#pragma once

#include <memory>
#include <string>

#include "queue/core/store.h"
#include "queue/storage/open.h"
#include "queue/storage/sqlite/checkpointer.h"
#include "queue/storage/sqlite/database.h"
#include "queue/storage/file_lock.h"

namespace queue::storage::sqlite {

class SqliteStore final : public core::Store {
 public:
  // `filename`: a path or ":memory:". Throws std::runtime_error (see open.h).
  SqliteStore(const std::string& filename, Durability durability, CheckpointLimits limits = {});
  ~SqliteStore() override;

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
  std::int64_t expire(std::int64_t now_ms, std::int64_t limit) override;
  std::optional<std::int64_t> next_visible_at(std::int64_t queue_id, std::int64_t now_ms) override;

 private:
  // FIFO bookkeeping (see store.h): whether a new arrival in (queue, group) must wait
  // behind an existing head, and making the group's oldest message its head.
  bool group_has_messages(std::int64_t queue_id, const std::string& group_id);
  void promote_group_head(std::int64_t queue_id, const std::string& group_id);
  // Moves one message into `to_queue_id`, where it is receivable at now_ms.
  void move_message(std::int64_t message_id, std::int64_t to_queue_id, bool to_fifo,
                    const std::optional<std::string>& group_id, std::optional<std::int64_t> source_queue_id,
                    bool reset_receive_count, std::int64_t now_ms);
  std::optional<bool> queue_is_fifo(std::int64_t queue_id);

  // Called by SQLite after each commit with the WAL's length in pages.
  static int on_wal_commit(void* store, sqlite3* db, const char* schema, int pages);

  std::unique_ptr<FileLock> owner_;  // null for ":memory:"; released after db_ closes
  Database db_;
  std::unique_ptr<Checkpointer> checkpointer_;  // null for ":memory:"; stops before db_ closes
  Durability durability_;
  bool flushing_ = false;  // synchronous = FULL right now
  std::uint64_t deduplicated_ = 0;  // sends answered with an earlier id (deduplicated_count)
};

}  // namespace queue::storage::sqlite
