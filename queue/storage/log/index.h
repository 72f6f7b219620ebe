// The message log's in-memory index: everything the store answers from without
// touching the disk except message bodies (read with pread on receive and peek).
//
// Per queue: its row; the ready list (ids in the order they became receivable:
// the (visible_at, id) order the SQL engines use); a timer set of delayed and
// leased messages; FIFO groups (head first, then the rest in id order); dedup ids
// within their window; counts by state, so stats are O(1); the arrival list (send
// order, for retention, the oldest age and peeks). Lists are pruned lazily: an
// entry whose message left is skipped when reached.
//
// Leases live only here (see log_store.h). Liveness per segment (items and bytes
// whose latest record is in it) tells compaction what it may delete.
//
// Both the store's operations and recovery change it through the same functions,
// so a replayed log rebuilds exactly what the operations built. During recovery
// (`now` absent) messages are only collected; place_recovered() puts them in order
// on the queue's first look.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "queue/core/store.h"
#include "queue/storage/log/message_table.h"
#include "queue/storage/log/record.h"
#include "queue/storage/log/segments.h"

namespace queue::storage::log {

struct DedupEntry {
  std::uint64_t message = 0;
  std::int64_t expires_at = 0;
  std::uint32_t segment = 0;  // the record that carries it
  std::uint32_t offset = 0;
};

struct QueueState {
  core::QueueRecord record;
  Location where;  // its latest queue_put record
  std::deque<std::uint64_t> arrival;
  std::deque<std::uint64_t> ready;
  std::set<std::pair<std::int64_t, std::uint64_t>> timed;  // (visible_at, id): delayed, leased, waiting_delayed
  std::vector<std::uint64_t> recovered;
  std::array<std::int64_t, state_count> counts{};
  std::unordered_map<std::string, std::uint32_t> groups;  // group id -> 1 + group table index
  std::unordered_map<std::string, DedupEntry> dedup;
  std::deque<std::pair<std::int64_t, std::string>> dedup_expiry;  // (expires_at, dedup id), in insertion order
};

struct SegmentUse {
  std::int64_t items = 0;
  std::int64_t bytes = 0;
};

class Index {
 public:
  // --- queues ---
  QueueState* queue(std::uint64_t id);
  QueueState* queue_named(std::string_view name);
  const std::map<std::string, std::uint64_t, std::less<>>& names() const { return names_; }
  void put_queue(const core::QueueRecord& record, Location where);
  void delete_queue(std::uint64_t id);
  std::uint64_t max_queue_id() const { return max_queue_id_; }

  // --- messages ---
  MessageTable& table() { return table_; }
  // Adds a message (replacing an older copy of it), with its FIFO group id if any.
  // No-op when its queue is gone.
  void insert_message(const MessageFields& message, const std::string* group_id, Location where,
                      std::optional<std::int64_t> now);
  void remove_message(std::uint64_t id);
  void move_message(std::uint64_t id, std::uint64_t to_queue, std::uint64_t source_queue, bool reset_receive_count,
                    std::int64_t visible_at, std::optional<std::int64_t> now);
  // Removes the queue's messages with id <= up_to_id; returns how many.
  std::int64_t purge(std::uint64_t queue_id, std::uint64_t up_to_id);
  void count_delivery(std::uint64_t id);
  void relocate_message(std::uint64_t id, Location where);
  std::uint64_t max_message_id() const { return max_message_id_; }
  std::size_t message_count() const { return table_.size(); }
  const std::string* group_name(const Slot& slot) const;

  // --- dedup ids ---
  void put_dedup(std::uint64_t queue_id, const std::string& dedup_id, DedupEntry entry);
  void drop_dedup(QueueState& q, const std::string& dedup_id);

  // --- time ---
  // Places recovered messages, then moves what `now` made due off the timer set.
  void advance(QueueState& q, std::int64_t now);
  // Leasing and releasing (operations only).
  void lease(std::uint64_t id, Slot& slot, std::uint64_t token, std::int64_t until);
  bool lease_is_current(const Slot& slot, std::uint64_t id, std::uint64_t token, std::int64_t now) const;
  void set_visibility(std::uint64_t id, Slot& slot, std::int64_t visible_at, std::int64_t now);
  // Puts a ready message back at the front of its ready list (a receive skipped it).
  void requeue_front(std::uint64_t id, Slot& slot);

  // --- space ---
  const std::map<std::uint32_t, SegmentUse>& use() const { return use_; }
  SegmentUse use_of(std::uint32_t segment) const;
  void relocate_queue(QueueState& q, Location where);
  void relocate_dedup(DedupEntry& entry, Location where, std::int64_t bytes);

  void clear();

 private:
  struct Group {
    std::uint32_t queue = 0;
    std::string name;
    std::deque<std::uint64_t> members;  // FIFO queues: the head first, then id order
    std::uint32_t refs = 0;
  };

  void attach(std::uint64_t id, Slot& slot, QueueState& q, const std::string* group, std::optional<std::int64_t> now);
  void detach(std::uint64_t id, Slot& slot);
  void place(std::uint64_t id, Slot& slot, QueueState& q, std::int64_t now, bool head);
  void set_state(Slot& slot, QueueState& q, State state);
  void push_ready(std::uint64_t id, Slot& slot, QueueState& q);
  void promote_next(QueueState& q, Group& group);
  std::uint32_t group_for(QueueState& q, const std::string& name);
  void release_group(std::uint32_t handle);
  void add_use(std::uint32_t segment, std::int64_t items, std::int64_t bytes);

  MessageTable table_;
  std::unordered_map<std::uint64_t, std::unique_ptr<QueueState>> queues_;
  std::map<std::string, std::uint64_t, std::less<>> names_;
  std::unordered_map<std::uint64_t, std::uint64_t> leases_;  // message id -> lease token
  std::vector<Group> groups_;
  std::vector<std::uint32_t> free_groups_;
  std::map<std::uint32_t, SegmentUse> use_;
  std::uint64_t max_queue_id_ = 0;
  std::uint64_t max_message_id_ = 0;
};

// Bytes a dedup record carrying `dedup_id` takes (what a dedup entry pins).
std::int64_t dedup_record_bytes(const std::string& dedup_id);

}  // namespace queue::storage::log
