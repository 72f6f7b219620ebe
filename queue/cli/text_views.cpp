#include "queue/cli/text_views.h"

#include <ctime>

#include "queue/cli/json_views.h"

namespace queue::cli {
namespace {

// A table row shows the start of a body; -o json has all of it.
constexpr std::size_t body_width = 60;

std::string two_digits(std::int64_t value) { return (value < 10 ? "0" : "") + std::to_string(value); }

std::string attributes_text(const contract::MessageAttributes& attributes) {
  std::string text;
  for (const auto& [key, value] : attributes) text += (text.empty() ? "" : ",") + key + "=" + value;
  return text;
}

}  // namespace

std::string format_age(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m" + two_digits(seconds % 60) + "s";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h" + two_digits(seconds % 3600 / 60) + "m";
  return std::to_string(seconds / 86400) + "d" + two_digits(seconds % 86400 / 3600) + "h";
}

std::string format_time_ms(std::int64_t ms_since_epoch) {
  std::time_t seconds = static_cast<std::time_t>(ms_since_epoch / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string millis = std::to_string(ms_since_epoch % 1000);
  return std::string(text) + "." + std::string(3 - millis.size(), '0') + millis + "Z";
}

Table queue_table(const contract::QueueInfo& queue) {
  const contract::QueueAttributes& a = queue.attributes;
  Table table({"FIELD", "VALUE"});
  table.add_row({"name", queue.name});
  table.add_row({"created_at", format_time_ms(queue.created_at_ms)});
  table.add_row({"fifo", a.fifo ? "true" : "false"});
  table.add_row({"paused", a.paused ? "true (receives answer nothing)" : "false"});
  table.add_row({"visibility_timeout_s", std::to_string(a.visibility_timeout_s)});
  table.add_row({"retention_s", std::to_string(a.retention_s)});
  table.add_row({"delay_s", std::to_string(a.delay_s)});
  table.add_row({"max_message_bytes", std::to_string(a.max_message_bytes)});
  table.add_row({"dedup_window_s", std::to_string(a.dedup_window_s)});
  table.add_row({"dead_letter", a.dead_letter ? a.dead_letter->queue + " after " +
                                                    std::to_string(a.dead_letter->max_receives) + " receives"
                                              : "-"});
  table.add_row({"visible", std::to_string(queue.stats.visible)});
  table.add_row({"in_flight", std::to_string(queue.stats.in_flight)});
  table.add_row({"delayed", std::to_string(queue.stats.delayed)});
  table.add_row({"oldest_age", format_age(queue.stats.oldest_age_s)});
  return table;
}

Table stats_table(const std::vector<contract::QueueInfo>& queues) {
  Table table({"QUEUE", "VISIBLE", "IN_FLIGHT", "DELAYED", "OLDEST_AGE"});
  for (const contract::QueueInfo& queue : queues) {
    table.add_row({queue.name + (queue.attributes.paused ? " (paused)" : ""), std::to_string(queue.stats.visible), std::to_string(queue.stats.in_flight),
                   std::to_string(queue.stats.delayed), format_age(queue.stats.oldest_age_s)});
  }
  return table;
}

Table peeked_table(const std::vector<contract::PeekedMessage>& messages) {
  Table table({"ID", "STATE", "SENT_AT", "VISIBLE_AT", "RECEIVES", "GROUP", "ATTRIBUTES", "BODY"});
  for (const contract::PeekedMessage& m : messages) {
    table.add_row({m.id, std::string(contract::to_string(m.state)), format_time_ms(m.sent_at_ms), format_time_ms(m.visible_at_ms),
                   std::to_string(m.receive_count), m.group_id.value_or("-"),
                   truncate_cell(attributes_text(m.attributes), body_width), truncate_cell(m.body, body_width)});
  }
  return table;
}

Table received_table(const std::vector<contract::ReceivedMessage>& messages) {
  Table table({"ID", "RECEIVES", "GROUP", "RECEIPT", "BODY"});
  for (const contract::ReceivedMessage& m : messages) {
    table.add_row({m.id, std::to_string(m.receive_count), m.group_id.value_or("-"), m.receipt,
                   truncate_cell(m.body, body_width)});
  }
  return table;
}

}  // namespace queue::cli
