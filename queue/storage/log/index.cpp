#include "queue/storage/log/index.h"

#include <algorithm>
#include <limits>

#include "queue/storage/log/record.h"

namespace queue::storage::log {
namespace {

std::uint32_t narrow(std::uint64_t id) { return static_cast<std::uint32_t>(id); }

bool timed_state(State state) {
  return state == State::delayed || state == State::leased || state == State::waiting_delayed;
}

}  // namespace

std::int64_t dedup_record_bytes(const std::string& dedup_id) {
  return static_cast<std::int64_t>(record_header_bytes + 8 + 2 + dedup_id.size() + 8 + 8);
}

QueueState* Index::queue(std::uint64_t id) {
  auto found = queues_.find(id);
  return found == queues_.end() ? nullptr : found->second.get();
}

QueueState* Index::queue_named(std::string_view name) {
  auto found = names_.find(name);
  return found == names_.end() ? nullptr : queue(found->second);
}

void Index::add_use(std::uint32_t segment, std::int64_t items, std::int64_t bytes) {
  SegmentUse& use = use_[segment];
  use.items += items;
  use.bytes += bytes;
  if (use.items == 0) use_.erase(segment);
}

SegmentUse Index::use_of(std::uint32_t segment) const {
  auto found = use_.find(segment);
  return found == use_.end() ? SegmentUse{} : found->second;
}

void Index::put_queue(const core::QueueRecord& record, Location where) {
  auto id = static_cast<std::uint64_t>(record.id);
  max_queue_id_ = std::max(max_queue_id_, id);
  QueueState* q = queue(id);
  if (!q) {
    auto created = std::make_unique<QueueState>();
    q = created.get();
    queues_.emplace(id, std::move(created));
    names_.emplace(record.name, id);
  } else {
    add_use(q->where.segment, -1, -std::int64_t{q->where.length});
  }
  q->record = record;
  q->where = where;
  add_use(where.segment, 1, where.length);
}

void Index::relocate_queue(QueueState& q, Location where) {
  add_use(q.where.segment, -1, -std::int64_t{q.where.length});
  q.where = where;
  add_use(where.segment, 1, where.length);
}

void Index::delete_queue(std::uint64_t id) {
  QueueState* q = queue(id);
  if (!q) return;
  purge(id, std::numeric_limits<std::uint64_t>::max());
  while (!q->dedup.empty()) drop_dedup(*q, q->dedup.begin()->first);
  add_use(q->where.segment, -1, -std::int64_t{q->where.length});
  names_.erase(q->record.name);
  queues_.erase(id);
}

std::uint32_t Index::group_for(QueueState& q, const std::string& name) {
  auto [it, inserted] = q.groups.try_emplace(name, 0);
  if (inserted) {
    std::uint32_t index;
    if (!free_groups_.empty()) {
      index = free_groups_.back();
      free_groups_.pop_back();
    } else {
      index = static_cast<std::uint32_t>(groups_.size());
      groups_.emplace_back();
    }
    groups_[index] = Group{narrow(static_cast<std::uint64_t>(q.record.id)), name, {}, 0};
    it->second = index + 1;
  }
  ++groups_[it->second - 1].refs;
  return it->second;
}

void Index::release_group(std::uint32_t handle) {
  Group& group = groups_[handle - 1];
  if (--group.refs > 0) return;
  if (QueueState* q = queue(group.queue)) q->groups.erase(group.name);
  group = Group{};
  free_groups_.push_back(handle - 1);
}

const std::string* Index::group_name(const Slot& slot) const {
  return slot.group == 0 ? nullptr : &groups_[slot.group - 1].name;
}

void Index::set_state(Slot& slot, QueueState& q, State state) {
  --q.counts[static_cast<std::size_t>(slot.state)];
  ++q.counts[static_cast<std::size_t>(state)];
  slot.state = state;
}

void Index::push_ready(std::uint64_t id, Slot& slot, QueueState& q) {
  if (slot.in_ready) return;
  slot.in_ready = true;
  q.ready.push_back(id);
}

void Index::place(std::uint64_t id, Slot& slot, QueueState& q, std::int64_t now, bool head) {
  bool visible = slot.visible_at <= now;
  if (head) {
    set_state(slot, q, visible ? State::ready : State::delayed);
    if (visible) push_ready(id, slot, q);
  } else {
    set_state(slot, q, visible ? State::waiting : State::waiting_delayed);
  }
  if (!visible) q.timed.emplace(slot.visible_at, id);
}

void Index::attach(std::uint64_t id, Slot& slot, QueueState& q, const std::string* group,
                   std::optional<std::int64_t> now) {
  slot.queue = narrow(static_cast<std::uint64_t>(q.record.id));
  slot.state = State::recovered;
  ++q.counts[static_cast<std::size_t>(State::recovered)];
  q.arrival.push_back(id);
  bool head = true;
  if (group) {
    slot.group = group_for(q, *group);
    if (q.record.attributes.fifo) {
      auto& members = groups_[slot.group - 1].members;
      if (!now) {
        // Replay: order by id; heads are chosen when the queue is first looked at.
        members.insert(std::upper_bound(members.begin(), members.end(), id), id);
      } else {
        head = members.empty();
        // Never in front of a head already chosen (it may be in flight).
        auto from = members.empty() ? members.begin() : members.begin() + 1;
        members.insert(std::upper_bound(from, members.end(), id), id);
      }
    }
  }
  if (!now) {
    q.recovered.push_back(id);
    return;
  }
  place(id, slot, q, *now, head);
}

void Index::detach(std::uint64_t id, Slot& slot) {
  QueueState* q = queue(slot.queue);
  if (timed_state(slot.state)) q->timed.erase({slot.visible_at, id});
  if (slot.state == State::leased) leases_.erase(id);
  --q->counts[static_cast<std::size_t>(slot.state)];
  slot.state = State::recovered;  // no longer counted anywhere
  slot.in_ready = false;          // an entry left on the ready list is skipped when reached
  if (slot.group != 0) {
    Group& group = groups_[slot.group - 1];
    auto& members = group.members;
    if (!members.empty()) {
      bool was_head = members.front() == id;
      auto found = std::find(members.begin(), members.end(), id);
      if (found != members.end()) members.erase(found);
      // A head leaving lets the next in line go, unless heads are not chosen yet.
      if (was_head && !members.empty() && q->recovered.empty()) promote_next(*q, group);
    }
    release_group(slot.group);
    slot.group = 0;
  }
}

void Index::promote_next(QueueState& q, Group& group) {
  std::uint64_t next = group.members.front();
  Slot* slot = table_.find(next);
  if (slot->state == State::waiting) {
    set_state(*slot, q, State::ready);
    push_ready(next, *slot, q);
  } else if (slot->state == State::waiting_delayed) {
    set_state(*slot, q, State::delayed);  // stays on the timer set
  }
}

void Index::insert_message(const MessageFields& meta, const std::string* group_id, Location where,
                           std::optional<std::int64_t> now) {
  QueueState* q = queue(meta.queue);
  if (!q) return;
  if (table_.find(meta.id)) remove_message(meta.id);
  max_message_id_ = std::max(max_message_id_, meta.id);
  Slot& slot = table_.insert(meta.id);
  slot.visible_at = meta.visible_at_ms;
  slot.sent_at = meta.sent_at_ms;
  slot.segment = where.segment;
  slot.offset = where.offset;
  slot.length = where.length;
  slot.source_queue = narrow(meta.source_queue);
  slot.receive_count = static_cast<std::uint16_t>(std::min<std::uint32_t>(meta.receive_count, 65'535));
  add_use(where.segment, 1, where.length);
  attach(meta.id, slot, *q, group_id, now);
}

void Index::remove_message(std::uint64_t id) {
  Slot* slot = table_.find(id);
  if (!slot) return;
  detach(id, *slot);
  add_use(slot->segment, -1, -std::int64_t{slot->length});
  table_.erase(id);
}

void Index::move_message(std::uint64_t id, std::uint64_t to_queue, std::uint64_t source_queue,
                         bool reset_receive_count, std::int64_t visible_at, std::optional<std::int64_t> now) {
  Slot* slot = table_.find(id);
  QueueState* to = queue(to_queue);
  if (!slot || !to) return;
  std::optional<std::string> group;
  if (const std::string* name = group_name(*slot)) group = *name;
  detach(id, *slot);
  slot->visible_at = visible_at;
  slot->source_queue = narrow(source_queue);
  if (reset_receive_count) slot->receive_count = 0;
  attach(id, *slot, *to, group ? &*group : nullptr, now);
}

std::int64_t Index::purge(std::uint64_t queue_id, std::uint64_t up_to_id) {
  QueueState* q = queue(queue_id);
  if (!q) return 0;
  std::int64_t removed = 0;
  std::deque<std::uint64_t> arrival = std::move(q->arrival);
  q->arrival.clear();
  for (std::uint64_t id : arrival) {
    Slot* slot = table_.find(id);
    if (!slot || slot->queue != narrow(queue_id)) continue;
    if (id <= up_to_id) {
      remove_message(id);
      ++removed;
    } else {
      q->arrival.push_back(id);
    }
  }
  // Drop what the removed messages left on the ready list, so its memory goes too.
  std::erase_if(q->ready, [&](std::uint64_t id) {
    Slot* slot = table_.find(id);
    return !slot || slot->queue != narrow(queue_id) || !slot->in_ready;
  });
  return removed;
}

void Index::count_delivery(std::uint64_t id) {
  if (Slot* slot = table_.find(id); slot && slot->receive_count < 65'535) ++slot->receive_count;
}

void Index::relocate_message(std::uint64_t id, Location where) {
  Slot* slot = table_.find(id);
  add_use(slot->segment, -1, -std::int64_t{slot->length});
  slot->segment = where.segment;
  slot->offset = where.offset;
  slot->length = where.length;
  add_use(where.segment, 1, where.length);
}

void Index::put_dedup(std::uint64_t queue_id, const std::string& dedup_id, DedupEntry entry) {
  QueueState* q = queue(queue_id);
  if (!q) return;
  drop_dedup(*q, dedup_id);
  q->dedup.emplace(dedup_id, entry);
  q->dedup_expiry.emplace_back(entry.expires_at, dedup_id);
  add_use(entry.segment, 1, dedup_record_bytes(dedup_id));
}

void Index::drop_dedup(QueueState& q, const std::string& dedup_id) {
  auto found = q.dedup.find(dedup_id);
  if (found == q.dedup.end()) return;
  add_use(found->second.segment, -1, -dedup_record_bytes(dedup_id));
  q.dedup.erase(found);
}

void Index::relocate_dedup(DedupEntry& entry, Location where, std::int64_t bytes) {
  add_use(entry.segment, -1, -bytes);
  entry.segment = where.segment;
  entry.offset = where.offset;
  add_use(where.segment, 1, bytes);
}

void Index::advance(QueueState& q, std::int64_t now) {
  if (!q.recovered.empty()) {
    auto queue_id = narrow(static_cast<std::uint64_t>(q.record.id));
    // (visible_at, id) keys, looked up once rather than in every comparison.
    std::vector<std::pair<std::int64_t, std::uint64_t>> recovered;
    recovered.reserve(q.recovered.size());
    for (std::uint64_t id : q.recovered) {
      Slot* slot = table_.find(id);
      if (slot && slot->queue == queue_id && slot->state == State::recovered) recovered.emplace_back(slot->visible_at, id);
    }
    q.recovered.clear();
    q.recovered.shrink_to_fit();
    std::sort(recovered.begin(), recovered.end());
    recovered.erase(std::unique(recovered.begin(), recovered.end()), recovered.end());
    for (const auto& key : recovered) {
      const std::uint64_t id = key.second;
      Slot& slot = *table_.find(id);
      bool head = true;
      if (slot.group != 0 && q.record.attributes.fifo) head = groups_[slot.group - 1].members.front() == id;
      place(id, slot, q, now, head);
    }
    // The arrival list was built in log order; send order is id order.
    std::sort(q.arrival.begin(), q.arrival.end());
    q.arrival.erase(std::unique(q.arrival.begin(), q.arrival.end()), q.arrival.end());
  }
  while (!q.timed.empty() && q.timed.begin()->first <= now) {
    std::uint64_t id = q.timed.begin()->second;
    q.timed.erase(q.timed.begin());
    Slot* slot = table_.find(id);
    switch (slot->state) {
      case State::leased:
        leases_.erase(id);
        [[fallthrough]];
      case State::delayed:
        set_state(*slot, q, State::ready);
        push_ready(id, *slot, q);
        break;
      case State::waiting_delayed:
        set_state(*slot, q, State::waiting);
        break;
      default:
        break;
    }
  }
}

void Index::lease(std::uint64_t id, Slot& slot, std::uint64_t token, std::int64_t until) {
  QueueState& q = *queue(slot.queue);
  set_state(slot, q, State::leased);
  slot.visible_at = until;
  if (slot.receive_count < 65'535) ++slot.receive_count;
  q.timed.emplace(until, id);
  leases_[id] = token;
}

bool Index::lease_is_current(const Slot& slot, std::uint64_t id, std::uint64_t token, std::int64_t now) const {
  if (slot.state != State::leased || slot.visible_at <= now) return false;
  auto found = leases_.find(id);
  return found != leases_.end() && found->second == token;
}

void Index::set_visibility(std::uint64_t id, Slot& slot, std::int64_t visible_at, std::int64_t now) {
  QueueState& q = *queue(slot.queue);
  q.timed.erase({slot.visible_at, id});
  slot.visible_at = visible_at;
  if (visible_at <= now) {
    // Released: visible at once, and the receipt is stale.
    leases_.erase(id);
    set_state(slot, q, State::ready);
    push_ready(id, slot, q);
  } else {
    q.timed.emplace(visible_at, id);
  }
}

void Index::requeue_front(std::uint64_t id, Slot& slot) {
  if (slot.in_ready) return;
  slot.in_ready = true;
  queue(slot.queue)->ready.push_front(id);
}

void Index::clear() {
  table_.clear();
  queues_.clear();
  names_.clear();
  leases_.clear();
  groups_.clear();
  free_groups_.clear();
  use_.clear();
  max_queue_id_ = 0;
  max_message_id_ = 0;
}

}  // namespace queue::storage::log
