// Sending, acknowledging and changing visibility on the engine thread.
#include "queue/core/operations.h"
#include "queue/core/receipts.h"
#include "queue/core/validation.h"

namespace queue::core::ops {
namespace {

constexpr std::int64_t ms_per_s = 1'000;

struct ReceiptOutcome {
  std::int64_t succeeded = 0;
  std::vector<ReceiptFailure> failed;
};

// Decodes every receipt, applies `batch` to the well-formed ones at once (one store
// call, so one round trip where the store can), and reports malformed or stale ones
// per receipt, never as a failure of the whole request.
template <typename Batch>
ReceiptOutcome for_each_receipt(const std::vector<std::string>& receipts, Batch&& batch) {
  auto [leases, positions] = decode_receipts(receipts);
  std::vector<bool> applied = leases.empty() ? std::vector<bool>{} : batch(std::span<const LeaseRef>(leases));
  std::vector<bool> succeeded(receipts.size(), false);
  for (std::size_t j = 0; j < positions.size() && j < applied.size(); ++j) succeeded[positions[j]] = applied[j];

  ReceiptOutcome outcome;
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    if (succeeded[i]) {
      ++outcome.succeeded;
    } else {
      outcome.failed.push_back(ReceiptFailure{receipts[i], ErrorCode::receipt_invalid});
    }
  }
  return outcome;
}

// Where a visibility change moves a lease's end: now + the timeout (0: released now).
std::int64_t lease_end(const EngineContext& context, int visibility_timeout_s) {
  return context.now_ms + visibility_timeout_s * ms_per_s;
}

}  // namespace

Result<SendResult> send(EngineContext& context, const std::string& name, const std::vector<OutgoingMessage>& messages) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  if (auto e = check_for_queue(messages, queue->attributes)) return *e;

  std::vector<NewMessage> rows;
  rows.reserve(messages.size());
  for (const OutgoingMessage& m : messages) {
    std::int64_t delay_s = m.delay_s.value_or(queue->attributes.delay_s);
    rows.push_back(NewMessage{m.body, m.attributes, m.group_id, m.dedup_id, context.now_ms + delay_s * ms_per_s});
  }
  const std::uint64_t deduplicated_before = context.store.deduplicated_count();
  auto ids = context.store.send(*queue, rows, context.now_ms);
  context.touch(queue->id);
  QueueCounts counts;
  counts.deduplicated = context.store.deduplicated_count() - deduplicated_before;
  counts.sent = ids.size() - counts.deduplicated;
  context.count(name, counts);

  SendResult result;
  result.ids.reserve(ids.size());
  for (std::int64_t id : ids) result.ids.push_back(std::to_string(id));
  return result;
}

Result<AckResult> ack(EngineContext& context, const std::string& name, const std::vector<std::string>& receipts) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  std::int64_t queue_id = queue->id;
  auto ack_all = [&](std::span<const VisibilityChange> changes) {
    std::vector<LeaseRef> leases;
    leases.reserve(changes.size());
    for (const VisibilityChange& c : changes) leases.push_back(c.lease);
    return context.store.ack_many(queue_id, leases, context.now_ms);
  };
  auto outcome = for_each_receipt(receipts, [&](std::span<const LeaseRef> leases) {
    return context.acks.take(&receipts, name, leases, 0, ack_all);
  });
  // On a FIFO queue an ack promotes the group's next message.
  if (queue->attributes.fifo && outcome.succeeded > 0) context.touch(queue_id);
  if (outcome.succeeded > 0) context.count(name, QueueCounts{.acked = static_cast<std::uint64_t>(outcome.succeeded)});
  return AckResult{outcome.succeeded, std::move(outcome.failed)};
}

Result<VisibilityResult> change_visibility(EngineContext& context, const std::string& name,
                                           const std::vector<std::string>& receipts, int visibility_timeout_s) {
  const QueueRecord* queue = context.find_queue(name);
  if (!queue) return queue_not_found(name);
  std::int64_t queue_id = queue->id;
  auto change_all = [&](std::span<const VisibilityChange> changes) {
    return context.store.change_visibility_many(queue_id, changes, context.now_ms);
  };
  auto outcome = for_each_receipt(receipts, [&](std::span<const LeaseRef> leases) {
    return context.visibility_changes.take(&receipts, name, leases, lease_end(context, visibility_timeout_s),
                                           change_all);
  });
  // Released (0) or shortened leases change when the queue next has a message.
  if (outcome.succeeded > 0) context.touch(queue_id);
  return VisibilityResult{outcome.succeeded, std::move(outcome.failed)};
}

void announce_change_visibility(EngineContext& context, const std::string& name,
                                const std::vector<std::string>& receipts, int visibility_timeout_s) {
  context.visibility_changes.announce(&receipts, name, lease_end(context, visibility_timeout_s));
}

}  // namespace queue::core::ops
