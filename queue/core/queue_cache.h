// The engine's in-memory copy of queue rows, so a send or receive does not re-read
// its queue's row. Engine thread only. Entries are replaced by put_queue, dropped by
// delete_queue, and all dropped when a savepoint or a commit is rolled back (the
// rows they mirrored may not exist any more). With a TTL (engines shared by several
// processes) an entry older than the TTL is re-read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "queue/core/store.h"

namespace queue::core {

class QueueCache {
 public:
  explicit QueueCache(std::int64_t ttl_ms) : ttl_ms_(ttl_ms) {}

  // The queue named `name`, from memory or from the store; nullptr when it does not
  // exist. The pointer is valid until the next call that changes the cache.
  const QueueRecord* find(Store& store, std::string_view name, std::int64_t now_ms);
  // The same, but read from the store whenever another process may have changed the
  // row (a TTL is set): for decisions that write on the strength of the row existing.
  const QueueRecord* find_current(Store& store, std::string_view name, std::int64_t now_ms);
  const QueueRecord& put(QueueRecord record, std::int64_t now_ms);
  void erase(const std::string& name) { entries_.erase(name); }
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    QueueRecord record;
    std::int64_t loaded_at_ms = 0;
  };
  std::int64_t ttl_ms_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace queue::core
