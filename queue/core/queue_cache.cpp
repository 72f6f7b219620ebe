#include "queue/core/queue_cache.h"

namespace queue::core {

const QueueRecord* QueueCache::find(Store& store, std::string_view name, std::int64_t now_ms) {
  auto it = entries_.find(std::string(name));
  if (it != entries_.end() && (ttl_ms_ <= 0 || now_ms - it->second.loaded_at_ms < ttl_ms_)) {
    return &it->second.record;
  }
  auto record = store.find_queue(name);
  if (!record) {
    if (it != entries_.end()) entries_.erase(it);
    return nullptr;
  }
  return &put(std::move(*record), now_ms);
}

const QueueRecord* QueueCache::find_current(Store& store, std::string_view name, std::int64_t now_ms) {
  if (ttl_ms_ > 0) entries_.erase(std::string(name));
  return find(store, name, now_ms);
}

const QueueRecord& QueueCache::put(QueueRecord record, std::int64_t now_ms) {
  std::string name = record.name;
  Entry& entry = entries_[name];
  entry.record = std::move(record);
  entry.loaded_at_ms = now_ms;
  return entry.record;
}

}  // namespace queue::core
