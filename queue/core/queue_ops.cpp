// Queue administration and inspection on the engine thread: create/update, get,
// list, delete, purge, redrive, peek.
#include <algorithm>
#include <charconv>
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

// A decimal number filling `text` exactly, at least `min`.
std::optional<std::int64_t> parse_number(std::string_view text, std::int64_t min) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min) return std::nullopt;
  return value;
}

// "<at_ms>.<id>": plain enough to read in a log, opaque by contract.
std::string encode_cursor(const PeekCursor& cursor) {
  return std::to_string(cursor.at_ms) + "." + std::to_string(cursor.id);
}

std::optional<PeekCursor> decode_cursor(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto at = parse_number(text.substr(0, dot), 0);
  auto id = parse_number(text.substr(dot + 1), 1);
  if (!at || !id) return std::nullopt;
  return PeekCursor{*at, *id};
}

PeekedMessage peeked(StoredMessage&& m, PeekState state) {
  return PeekedMessage{std::to_string(m.id),  std::move(m.body),    std::move(m.attributes), m.receive_count,
                       m.sent_at_ms,          m.visible_at_ms,      std::move(m.group_id),   state};
}

QueueInfo info_of(const QueueRecord& record, const QueueStats& stats) {
  return QueueInfo{record.name, record.attributes, stats, record.created_at_ms};
}

}  // namespace

Error queue_not_found(const std::string& name) {
  return Error{ErrorCode::queue_not_found, "queue \"" + name + "\" does not exist"};
}

Result<PutQueueResult> put_queue(EngineContext& context, const std::string& name, const AttributesPatch& patch) {
  // Read the row itself, not a cached copy: another process may have deleted the queue
  // a moment ago, and answering "it exists" from memory would leave a create undone.
  std::optional<QueueRecord> existing;
  if (const QueueRecord* found = context.find_current_queue(name)) existing = *found;
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

Result<PeekPage> peek(EngineContext& context, const std::string& name, const PeekRequest& request) {
  std::optional<PeekCursor> after;
  if (!request.cursor.empty()) {
    after = decode_cursor(request.cursor);
    if (!after) return invalid("cursor must be a next_cursor that a peek answered");
  }
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  const auto limit = static_cast<std::size_t>(request.limit);
  // One more than asked tells whether another page exists.
  auto stored = context.store.peek(queue->id, request.state, limit + 1, context.now_ms, after);
  PeekPage page;
  if (stored.size() > limit) {
    stored.resize(limit);
    const StoredMessage& last = stored.back();
    page.next_cursor = encode_cursor(
        PeekCursor{request.state == PeekState::visible ? last.sent_at_ms : last.visible_at_ms, last.id});
  }
  page.messages.reserve(stored.size());
  for (auto& m : stored) page.messages.push_back(peeked(std::move(m), request.state));
  return page;
}

Result<PeekedMessage> get_message(EngineContext& context, const std::string& name, const std::string& message_id) {
  auto id = parse_number(message_id, 1);
  if (!id) return invalid("message id must be a positive integer, as send answered it");
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  auto found = context.store.find_message(queue->id, *id, context.now_ms);
  if (!found) {
    return Error{ErrorCode::message_not_found,
                 "message " + message_id + " is not in queue \"" + name + "\" (acked, expired or moved)"};
  }
  return peeked(std::move(found->message), found->state);
}

}  // namespace queue::core::ops
