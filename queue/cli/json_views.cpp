#include "queue/cli/json_views.h"

#include <boost/json/array.hpp>

namespace queue::cli {
namespace {

boost::json::object message_attributes_json(const contract::MessageAttributes& attributes) {
  boost::json::object out;
  for (const auto& [key, value] : attributes) out[key] = value;
  return out;
}

}  // namespace

boost::json::value string_or_null(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  return boost::json::value(*text);
}

boost::json::object attributes_json(const contract::QueueAttributes& attributes) {
  boost::json::object out;
  out["visibility_timeout_s"] = attributes.visibility_timeout_s;
  out["retention_s"] = attributes.retention_s;
  out["delay_s"] = attributes.delay_s;
  out["max_message_bytes"] = attributes.max_message_bytes;
  if (attributes.dead_letter) {
    out["dead_letter"] = boost::json::object{{"queue", attributes.dead_letter->queue},
                                             {"max_receives", attributes.dead_letter->max_receives}};
  } else {
    out["dead_letter"] = nullptr;
  }
  out["fifo"] = attributes.fifo;
  out["dedup_window_s"] = attributes.dedup_window_s;
  out["paused"] = attributes.paused;
  return out;
}

boost::json::object stats_json(const contract::QueueStats& stats) {
  return {{"visible", stats.visible},
          {"in_flight", stats.in_flight},
          {"delayed", stats.delayed},
          {"oldest_age_s", stats.oldest_age_s}};
}

boost::json::object queue_json(const contract::QueueInfo& queue) {
  return {{"name", queue.name},
          {"created_at_ms", queue.created_at_ms},
          {"attributes", attributes_json(queue.attributes)},
          {"stats", stats_json(queue.stats)}};
}

boost::json::object queue_stats_row_json(const contract::QueueInfo& queue) {
  boost::json::object row{{"name", queue.name}};
  for (auto& [key, value] : stats_json(queue.stats)) row[key] = value;
  row["paused"] = queue.attributes.paused;
  return row;
}

boost::json::object peeked_json(const contract::PeekedMessage& message) {
  return {{"id", message.id},
          {"body", message.body},
          {"attributes", message_attributes_json(message.attributes)},
          {"receive_count", message.receive_count},
          {"sent_at_ms", message.sent_at_ms},
          {"visible_at_ms", message.visible_at_ms},
          {"group_id", string_or_null(message.group_id)},
          {"state", contract::to_string(message.state)}};
}

boost::json::object received_json(const contract::ReceivedMessage& message) {
  return {{"id", message.id},
          {"body", message.body},
          {"attributes", message_attributes_json(message.attributes)},
          {"receipt", message.receipt},
          {"receive_count", message.receive_count},
          {"sent_at_ms", message.sent_at_ms},
          {"group_id", string_or_null(message.group_id)}};
}

boost::json::array receipt_failures_json(const std::vector<contract::ReceiptFailure>& failed) {
  boost::json::array out;
  for (const auto& failure : failed) {
    out.push_back(boost::json::object{{"receipt", failure.receipt}, {"code", contract::to_string(failure.code)}});
  }
  return out;
}

}  // namespace queue::cli
