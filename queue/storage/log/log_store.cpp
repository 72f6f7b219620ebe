// LogStore: opening, transactions, space and queue operations. Message operations
// are in log_messages.cpp, recovery in recovery.cpp, reclaiming space in
// compaction.cpp.
#include "queue/storage/log/log_store.h"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "common/log.h"

namespace queue::storage::log {
namespace {

core::StoreError storage_error(const std::system_error& e) {
  int error = e.code().value();
  if (error == ENOSPC || error == EDQUOT || error == EFBIG) {
    return core::StoreError(core::ErrorCode::unavailable, std::string("disk full: ") + e.what());
  }
  return core::StoreError(core::ErrorCode::unavailable, std::string("storage I/O error: ") + e.what());
}

}  // namespace

LogStore::LogStore(const std::string& directory, Durability durability, LogOptions options)
    : directory_(directory),
      durability_(durability),
      options_(options),
      files_(options.files ? *options.files : posix_file_system()),
      segments_(files_, directory, options.segment_bytes) {
  if (options_.segment_bytes < min_segment_bytes || options_.segment_bytes > (1ull << 31)) {
    throw std::runtime_error("the message log's segment size must be between 2 MiB and 2 GiB");
  }
  try {
    files_.create_directories(directory_);
    // Tests on a simulated file system have no real directory to lock.
    if (!options.files) owner_ = std::make_unique<FileLock>(directory_ + "/LOCK");
    recover();
  } catch (const std::system_error& e) {
    throw std::runtime_error("cannot open the message log in " + directory_ + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot open the message log in " + directory_ + ": " + e.what());
  }
}

LogStore::~LogStore() = default;

// --- transactions ---

void LogStore::begin(bool durable) {
  durable_ = durable;
  begin_mark_ = segments_.mark();
  begin_changes_ = changes_;
  rebuild_after_commit_ = false;
}

void LogStore::commit() {
  flush_deliveries();
  bool sync = durability_ == Durability::fsync && (durable_ || !to_remove_.empty());
  try {
    const double fsync_seconds = segments_.commit(sync);
    if (sync && observer_) observer_->on_fsync(fsync_seconds);
  } catch (const std::system_error& e) {
    // What the failed write left in the file lies past the records the index knows;
    // the next commit writes over it.
    rollback();
    throw storage_error(e);
  }
  std::vector<std::uint32_t> removing = std::move(to_remove_);
  to_remove_.clear();
  try {
    for (std::uint32_t segment : removing) segments_.remove(segment);
  } catch (const std::system_error& e) {
    common::log::warn("message log: cannot remove a segment", {{"error", e.what()}});
  }
  if (rebuild_after_commit_) rebuild();
}

void LogStore::rollback() noexcept {
  segments_.rollback_to(begin_mark_);
  to_remove_.clear();
  if (changes_ != begin_changes_ || rebuild_after_commit_) rebuild();
  rebuild_after_commit_ = false;
}

void LogStore::savepoint() {
  savepoint_mark_ = segments_.mark();
  savepoint_changes_ = changes_;
}

void LogStore::release_savepoint() {}

void LogStore::rollback_to_savepoint() {
  segments_.rollback_to(savepoint_mark_);
  // The index cannot undo an operation's changes; the log can: rebuild from it.
  if (changes_ != savepoint_changes_) rebuild_after_commit_ = true;
}

void LogStore::rebuild() noexcept {
  try {
    index_.clear();
    deliveries_.clear();
    recover();
  } catch (const std::exception& e) {
    // The log was readable at open; if it no longer is, nothing here can go on.
    common::log::error("message log: cannot rebuild the index, stopping", {{"error", e.what()}});
    std::terminate();
  }
}

// --- space ---

bool LogStore::has_room(std::uint64_t bytes, std::uint64_t extra_messages, bool use_slack) {
  std::uint64_t reserve =
      (index_.message_count() + extra_messages) * ack_reserve_bytes + (use_slack ? 0 : reserve_slack_bytes);
  try {
    return segments_.make_room(bytes, reserve);
  } catch (const std::system_error& e) {
    throw storage_error(e);
  }
}

void LogStore::need_room(std::uint64_t bytes, std::uint64_t extra_messages) {
  if (!has_room(bytes, extra_messages)) {
    throw core::StoreError(core::ErrorCode::unavailable, "disk full: no space for the message log in " + directory_);
  }
}

Location LogStore::append(const std::string& record) {
  try {
    return segments_.append(record);
  } catch (const std::system_error& e) {
    throw storage_error(e);
  }
}

// --- queues ---

QueueState& LogStore::queue_state(std::int64_t queue_id) {
  QueueState* q = index_.queue(static_cast<std::uint64_t>(queue_id));
  if (!q) throw core::StoreError(core::ErrorCode::queue_not_found, "the queue no longer exists");
  return *q;
}

std::optional<core::QueueRecord> LogStore::find_queue(std::string_view name) {
  QueueState* q = index_.queue_named(name);
  if (!q) return std::nullopt;
  return q->record;
}

core::QueueRecord LogStore::create_queue(std::string_view name, const core::QueueAttributes& attributes,
                                         std::int64_t now_ms) {
  core::QueueRecord record{static_cast<std::int64_t>(next_queue_id_), std::string(name), attributes, now_ms};
  std::string bytes;
  encode_queue_put(record, bytes);
  need_room(bytes.size());
  changed();
  ++next_queue_id_;
  index_.put_queue(record, append(bytes));
  return record;
}

void LogStore::update_queue(std::int64_t queue_id, const core::QueueAttributes& attributes) {
  core::QueueRecord record = queue_state(queue_id).record;
  record.attributes = attributes;
  std::string bytes;
  encode_queue_put(record, bytes);
  need_room(bytes.size());
  changed();
  index_.put_queue(record, append(bytes));
}

std::vector<std::string> LogStore::list_queues(std::string_view prefix, std::string_view after, std::size_t limit) {
  std::vector<std::string> names;
  const auto& all = index_.names();
  auto it = all.upper_bound(after);
  if (it != all.end() && it->first < prefix) it = all.lower_bound(prefix);
  for (; it != all.end() && names.size() < limit && it->first.starts_with(prefix); ++it) names.push_back(it->first);
  return names;
}

std::vector<std::string> LogStore::queues_using_dead_letter(std::string_view name, std::size_t limit) {
  std::vector<std::string> users;
  for (const auto& [queue_name, id] : index_.names()) {
    const auto& policy = index_.queue(id)->record.attributes.dead_letter;
    if (policy && policy->queue == name) users.push_back(queue_name);
    if (users.size() >= limit) break;
  }
  return users;
}

void LogStore::delete_queue(std::int64_t queue_id) {
  // Like an ack, a delete frees space, so it may use the reserve.
  std::string bytes;
  encode_queue_delete(static_cast<std::uint64_t>(queue_id), bytes);
  changed();
  append(bytes);
  index_.delete_queue(static_cast<std::uint64_t>(queue_id));
}

}  // namespace queue::storage::log
