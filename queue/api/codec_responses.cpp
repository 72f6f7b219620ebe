// The response half of codec.h: core types -> JSON documents.
#include <boost/json/array.hpp>

#include "queue/api/codec.h"
#include "queue/api/timestamps.h"

namespace queue::api {
namespace {

boost::json::object attributes_json(const core::MessageAttributes& attributes) {
  boost::json::object object;
  for (const auto& [key, value] : attributes) object[key] = value;
  return object;
}

boost::json::value dead_letter_json(const std::optional<core::DeadLetterPolicy>& policy) {
  if (!policy) return nullptr;
  return boost::json::object{{"queue", policy->queue}, {"max_receives", policy->max_receives}};
}

boost::json::array failures_json(const std::vector<core::ReceiptFailure>& failures) {
  boost::json::array list;
  list.reserve(failures.size());
  for (const core::ReceiptFailure& failure : failures) {
    list.push_back(boost::json::object{{"receipt", failure.receipt}, {"code", core::to_string(failure.code)}});
  }
  return list;
}

// {"messages":[...]} with each element rendered by `render`.
template <typename Message, typename Render>
boost::json::object message_list_json(const std::vector<Message>& messages, Render render) {
  boost::json::array list;
  list.reserve(messages.size());
  for (const Message& message : messages) list.push_back(render(message));
  return boost::json::object{{"messages", std::move(list)}};
}

// What a received and a peeked message share; group_id only on FIFO queues.
template <typename Message>
boost::json::object message_json(const Message& message) {
  boost::json::object object{{"id", message.id},
                             {"body", message.body},
                             {"attributes", attributes_json(message.attributes)},
                             {"receive_count", message.receive_count},
                             {"sent_at", format_timestamp(message.sent_at_ms)}};
  if (message.group_id) object["group_id"] = *message.group_id;
  return object;
}

}  // namespace

boost::json::object queue_json(const core::QueueInfo& queue) {
  const core::QueueAttributes& a = queue.attributes;
  boost::json::object attributes{{"visibility_timeout_s", a.visibility_timeout_s},
                                 {"retention_s", a.retention_s},
                                 {"delay_s", a.delay_s},
                                 {"max_message_bytes", a.max_message_bytes},
                                 {"dead_letter", dead_letter_json(a.dead_letter)},
                                 {"fifo", a.fifo},
                                 {"dedup_window_s", a.dedup_window_s},
                                 {"paused", a.paused}};
  const core::QueueStats& s = queue.stats;
  boost::json::object stats{{"visible", s.visible},
                            {"in_flight", s.in_flight},
                            {"delayed", s.delayed},
                            {"oldest_age_s", s.oldest_age_s},
                            {"sent_total", s.sent_total},
                            {"received_total", s.received_total},
                            {"acked_total", s.acked_total}};
  return boost::json::object{{"name", queue.name},
                             {"attributes", std::move(attributes)},
                             {"stats", std::move(stats)},
                             {"created_at", format_timestamp(queue.created_at_ms)}};
}

boost::json::object queue_list_json(const std::vector<std::string>& names,
                                    const std::optional<std::string>& next_cursor) {
  boost::json::array list;
  list.reserve(names.size());
  for (const std::string& name : names) list.emplace_back(name);
  return boost::json::object{{"queues", std::move(list)},
                             {"next_cursor", next_cursor ? boost::json::value(*next_cursor) : nullptr}};
}

boost::json::object sent_json(const core::SendResult& result) {
  return message_list_json(result.ids, [](const std::string& id) { return boost::json::object{{"id", id}}; });
}

boost::json::object received_json(const std::vector<core::ReceivedMessage>& messages) {
  return message_list_json(messages, [](const core::ReceivedMessage& message) {
    boost::json::object object = message_json(message);
    object["receipt"] = message.receipt;
    return object;
  });
}

boost::json::object acked_json(const core::AckResult& result) {
  return boost::json::object{{"acked", result.acked}, {"failed", failures_json(result.failed)}};
}

boost::json::object received_with_acks_json(const core::ReceiveResult& result) {
  boost::json::object object = received_json(result.messages);
  object["acks"] = acked_json(result.acks);
  return object;
}

boost::json::object visibility_json(const core::VisibilityResult& result) {
  return boost::json::object{{"updated", result.updated}, {"failed", failures_json(result.failed)}};
}

boost::json::object purged_json(const core::PurgeResult& result) { return boost::json::object{{"purged", result.purged}}; }

boost::json::object redriven_json(const core::RedriveResult& result) {
  return boost::json::object{{"moved", result.moved}};
}

std::string_view to_string(core::PeekState state) {
  switch (state) {
    case core::PeekState::visible: return "visible";
    case core::PeekState::in_flight: return "in_flight";
    case core::PeekState::delayed: return "delayed";
  }
  return "visible";
}

boost::json::object peeked_message_json(const core::PeekedMessage& message) {
  boost::json::object object = message_json(message);
  object["visible_at"] = format_timestamp(message.visible_at_ms);
  object["state"] = to_string(message.state);
  return object;
}

boost::json::object peek_page_json(const core::PeekPage& page) {
  boost::json::object object = message_list_json(page.messages, peeked_message_json);
  if (page.next_cursor) object["next_cursor"] = *page.next_cursor;
  return object;
}

}  // namespace queue::api
