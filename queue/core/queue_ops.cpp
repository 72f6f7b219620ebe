// Queue administration and inspection on the engine thread: create/update, get,
// list, delete, purge, redrive, peek.
#include <algorithm>
#include <limits>

#include "queue/core/operations.h"
#include "queue/core/validation.h"

namespace queue::core::ops {
namespace {

Error invalid(std::string message) { return Error{ErrorCode::invalid_request, std::move(message)}; }

std::string kind(bool fifo) { return fifo ? "FIFO" : "standard"; }

// A dead-letter queue must exist and be of the same kind as its source, so FIFO
// dead letters keep their groups and standard ones never need one.
std::optional<Error> check_dead_letter_target(EngineContext& context, const QueueAttributes& attributes) {
  if (!attributes.dead_letter) return std::nullopt;
  const std::string& target_name = attributes.dead_letter->queue;
  const QueueRecord* target = context.find_queue(target_name);
  if (!target) return invalid("dead_letter.queue \"" + target_name + "\" does not exist");
  if (target->attributes.fifo != attributes.fifo) {
    return invalid("dead_letter.queue \"" + target_name + "\" is " + kind(target->attributes.fifo) +
                   " but this queue is " + kind(attributes.fifo));
  }
  return std::nullopt;
}

QueueInfo info_of(const QueueRecord& record, const QueueStats& stats) {
  return QueueInfo{record.name, record.attributes, stats, record.created_at_ms};
}

}  // namespace

Error queue_not_found(const std::string& name) {
  return Error{ErrorCode::queue_not_found, "queue \"" + name + "\" does not exist"};
}

Result<PutQueueResult> put_queue(EngineContext& context, const std::string& name, const AttributesPatch& patch) {
  std::optional<QueueRecord> existing;
  if (const QueueRecord* found = context.find_queue(name)) existing = *found;
  bool name_is_fifo = is_fifo_name(name);
  if (patch.fifo && *patch.fifo != name_is_fifo) {
    if (existing) return Error{ErrorCode::conflict, "queue \"" + name + "\" is " + kind(name_is_fifo) +
                                                        " and cannot change kind"};
    return invalid("fifo must match the name: FIFO queue names end in \".fifo\"");
  }
  QueueAttributes base;
  base.fifo = name_is_fifo;
  QueueAttributes attributes = apply_patch(existing ? existing->attributes : base, patch);
  if (patch.dead_letter) {
    if (auto e = check_dead_letter_target(context, attributes)) return *e;
  }

  if (!existing) {
    QueueRecord created = context.store.create_queue(name, attributes, context.now_ms);
    const QueueRecord& cached = context.queues.put(std::move(created), context.now_ms);
    return PutQueueResult{true, info_of(cached, QueueStats{})};
  }
  if (attributes != existing->attributes) {
    context.store.update_queue(existing->id, attributes);
    existing->attributes = attributes;
    context.queues.put(*existing, context.now_ms);
    context.changed_queues.insert(existing->id);
    // A longer retention can make stored messages receivable again.
    context.touch(existing->id);
  }
  return PutQueueResult{false, info_of(*existing, context.stats_of(*existing))};
}

Result<QueueInfo> get_queue(EngineContext& context, const std::string& name) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  return info_of(*queue, context.stats_of(*queue));
}

Result<QueueList> list_queues(EngineContext& context, const ListQueuesRequest& request) {
  auto limit = static_cast<std::size_t>(request.limit);
  QueueList list;
  // One more than asked tells whether another page exists.
  list.names = context.store.list_queues(request.prefix, request.cursor, limit + 1);
  if (list.names.size() > limit) {
    list.names.resize(limit);
    list.next_cursor = list.names.back();
  }
  return list;
}

Result<Done> delete_queue(EngineContext& context, const std::string& name) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  auto users = context.store.queues_using_dead_letter(name, 1);
  if (!users.empty()) {
    return Error{ErrorCode::conflict, "queue \"" + name + "\" is the dead-letter queue of \"" + users.front() +
                                          "\"; change that queue's dead_letter first"};
  }
  std::int64_t queue_id = queue->id;
  context.store.delete_queue(queue_id);
  context.queues.erase(name);
  context.deleted_queues.push_back(name);
  context.changed_queues.insert(queue_id);
  // Parked receives on it look again and learn it is gone.
  context.touch(queue_id);
  return Done{};
}

Result<PurgeResult> purge(EngineContext& context, const std::string& name) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  return PurgeResult{context.store.purge(queue->id)};
}

Result<RedriveResult> redrive(EngineContext& context, const std::string& dead_letter_queue,
                              const RedriveRequest& request) {
  const QueueRecord* found = context.find_queue(dead_letter_queue);
  if (!found) return queue_not_found(dead_letter_queue);
  QueueRecord source = *found;
  std::optional<QueueRecord> to;
  if (request.to) {
    const QueueRecord* target = context.find_queue(*request.to);
    if (!target) return invalid("to: queue \"" + *request.to + "\" does not exist");
    if (target->attributes.fifo != source.attributes.fifo) {
      return invalid("to: queue \"" + *request.to + "\" is " + kind(target->attributes.fifo) + " but \"" +
                     dead_letter_queue + "\" is " + kind(source.attributes.fifo));
    }
    to = *target;
  }
  std::int64_t moved = context.store.redrive(source, to, request.max.value_or(limits::redrive_max), context.now_ms);
  if (moved > 0) context.touch_all();
  return RedriveResult{moved};
}

Result<MetricsSnapshot> snapshot(EngineContext& context, std::size_t max_queues) {
  MetricsSnapshot snapshot;
  // Names only, to say how many were left out; then O(1) stats per queue kept.
  std::vector<std::string> names = context.store.list_queues("", "", static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()));
  snapshot.total_queues = names.size();
  if (names.size() > max_queues) names.resize(max_queues);
  snapshot.queues.reserve(names.size());
  for (const std::string& name : names) {
    const QueueRecord* queue = context.find_queue(name);
    if (!queue) continue;  // deleted by another process since the listing
    QueueSnapshot entry;
    entry.name = name;
    entry.stats = context.stats_of(*queue);
    if (context.counters != nullptr) entry.counts = context.counters->get(name);
    if (context.parked_on) entry.parked_receives = context.parked_on(queue->id);
    snapshot.queues.push_back(std::move(entry));
  }
  return snapshot;
}

Result<std::vector<PeekedMessage>> peek(EngineContext& context, const std::string& name, const PeekRequest& request) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  auto stored = context.store.peek(queue->id, request.state, static_cast<std::size_t>(request.limit), context.now_ms);
  std::vector<PeekedMessage> messages;
  messages.reserve(stored.size());
  for (auto& m : stored) {
    messages.push_back(PeekedMessage{std::to_string(m.id), std::move(m.body), std::move(m.attributes),
                                     m.receive_count, m.sent_at_ms, m.visible_at_ms, std::move(m.group_id)});
  }
  return messages;
}

}  // namespace queue::core::ops
