// Every live message's in-memory entry (its Slot), found by id.
//
// Why not a hash map of messages: ids are dense and increasing, so pages of slots
// indexed by id cost about the slot itself (48 bytes), where an unordered_map would
// add about 40 bytes of node and bucket per message; the budget is 80 bytes per
// waiting message. Pages are found through a hash map of their own (ids may be
// sparse: a message kept long after its neighbours were acked) and freed as soon as
// their last message leaves, so a drained queue returns its memory.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace queue::storage::log {

enum class State : std::uint8_t {
  free = 0,
  ready,            // receivable now: in its queue's ready list
  delayed,          // receivable at visible_at (a delay, or a FIFO head not yet visible)
  leased,           // in flight until visible_at
  waiting,          // FIFO, behind its group's head, visible_at passed
  waiting_delayed,  // FIFO, behind its group's head, visible_at not yet passed
  recovered,        // replayed from the log, not yet placed (the first look places it)
};
inline constexpr std::size_t state_count = 7;

struct Slot {
  std::int64_t visible_at = 0;
  std::int64_t sent_at = 0;
  std::uint32_t segment = 0;  // where its latest full record is
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint32_t queue = 0;
  std::uint32_t group = 0;         // 1 + index into Index's group table; 0: no group id
  std::uint32_t source_queue = 0;  // a dead letter's origin; 0: none
  std::uint16_t receive_count = 0;
  State state = State::free;
  bool in_ready = false;  // its queue's ready list holds an entry for it
};
static_assert(sizeof(Slot) <= 48);

class MessageTable {
 public:
  Slot* find(std::uint64_t id);
  // A fresh slot for `id`, which must not be live.
  Slot& insert(std::uint64_t id);
  void erase(std::uint64_t id);
  std::size_t size() const { return size_; }
  void clear();

 private:
  static constexpr std::uint64_t page_slots = 1024;
  struct Page {
    std::array<Slot, page_slots> slots{};
    std::uint32_t live = 0;
  };
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> pages_;
  std::size_t size_ = 0;
};

}  // namespace queue::storage::log
