#include "queue/storage/log/message_table.h"

namespace queue::storage::log {

Slot* MessageTable::find(std::uint64_t id) {
  auto page = pages_.find(id / page_slots);
  if (page == pages_.end()) return nullptr;
  Slot& slot = page->second->slots[id % page_slots];
  return slot.state == State::free ? nullptr : &slot;
}

Slot& MessageTable::insert(std::uint64_t id) {
  auto& page = pages_[id / page_slots];
  if (!page) page = std::make_unique<Page>();
  Slot& slot = page->slots[id % page_slots];
  slot = Slot{};
  ++page->live;
  ++size_;
  return slot;
}

void MessageTable::erase(std::uint64_t id) {
  auto page = pages_.find(id / page_slots);
  page->second->slots[id % page_slots].state = State::free;
  --size_;
  if (--page->second->live == 0) pages_.erase(page);
}

void MessageTable::clear() {
  pages_.clear();
  size_ = 0;
}

}  // namespace queue::storage::log
