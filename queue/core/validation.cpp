#include "queue/core/validation.h"

#include <string>

namespace queue::core {
namespace {

Error invalid(std::string message) { return Error{ErrorCode::invalid_request, std::move(message)}; }

std::optional<Error> check_range(std::string_view field, long long value, long long low, long long high) {
  if (value >= low && value <= high) return std::nullopt;
  return invalid(std::string(field) + " must be between " + std::to_string(low) + " and " +
                 std::to_string(high) + ", got " + std::to_string(value));
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Printable ASCII (0x21..0x7e): ids that end up in logs and JSON must stay unambiguous.
bool is_printable_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::optional<Error> check_token_id(std::string_view field, std::string_view value, std::size_t max) {
  if (value.empty() || value.size() > max || !is_printable_ascii(value)) {
    return invalid(std::string(field) + " must be 1 to " + std::to_string(max) +
                   " printable ASCII characters without spaces");
  }
  return std::nullopt;
}

std::string message_field(std::size_t index, std::string_view field) {
  return "messages[" + std::to_string(index) + "]." + std::string(field);
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    std::uint32_t code_point;
    std::uint32_t min_value;
    if ((c & 0xe0) == 0xc0) {
      length = 2, code_point = c & 0x1f, min_value = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3, code_point = c & 0x0f, min_value = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4, code_point = c & 0x07, min_value = 0x10000;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (s[i + k] & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past Unicode are not UTF-8.
    if (code_point < min_value || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

bool is_fifo_name(std::string_view name) { return name.ends_with(fifo_suffix); }

std::optional<Error> check_queue_name(std::string_view name, std::string_view field) {
  std::string_view base = is_fifo_name(name) ? name.substr(0, name.size() - fifo_suffix.size()) : name;
  bool ok = !base.empty() && base.size() <= limits::queue_name_max;
  for (char c : base) ok = ok && is_name_char(c);
  if (ok) return std::nullopt;
  return invalid(std::string(field) + " must be 1 to " + std::to_string(limits::queue_name_max) +
                 " of [A-Za-z0-9_-], optionally followed by \".fifo\"");
}

std::optional<Error> check_patch(std::string_view queue_name, const AttributesPatch& patch) {
  if (auto e = check_queue_name(queue_name)) return e;
  std::optional<Error> problem;
  auto range = [&](std::string_view field, const std::optional<int>& value, int low, int high) {
    if (!problem && value) problem = check_range(field, *value, low, high);
  };
  range("visibility_timeout_s", patch.visibility_timeout_s, 0, limits::visibility_timeout_max_s);
  range("retention_s", patch.retention_s, limits::retention_min_s, limits::retention_max_s);
  range("delay_s", patch.delay_s, 0, limits::delay_max_s);
  range("max_message_bytes", patch.max_message_bytes, 1, limits::max_message_bytes_max);
  range("dedup_window_s", patch.dedup_window_s, 0, limits::dedup_window_max_s);
  if (problem) return problem;
  if (patch.fifo && *patch.fifo && !is_fifo_name(queue_name)) {
    return invalid("fifo is true but the queue name does not end in \".fifo\"");
  }
  if (patch.dead_letter && *patch.dead_letter) {
    const DeadLetterPolicy& policy = **patch.dead_letter;
    if (auto e = check_queue_name(policy.queue, "dead_letter.queue")) return e;
    if (policy.queue == queue_name) return invalid("a queue cannot be its own dead-letter queue");
    if (auto e = check_range("dead_letter.max_receives", policy.max_receives, 1, limits::max_receives_max)) return e;
  }
  return std::nullopt;
}

std::optional<Error> check_list_request(const ListQueuesRequest& request) {
  if (auto e = check_range("limit", request.limit, 1, limits::list_limit_max)) return e;
  if (!request.prefix.empty()) {
    bool ok = request.prefix.size() <= limits::queue_name_max + fifo_suffix.size();
    for (char c : request.prefix) ok = ok && (is_name_char(c) || c == '.');
    if (!ok) return invalid("prefix may only hold characters of queue names");
  }
  if (!request.cursor.empty() && check_queue_name(request.cursor)) return invalid("cursor is not valid");
  return std::nullopt;
}

std::size_t message_size(const OutgoingMessage& message) {
  std::size_t size = message.body.size();
  for (const auto& [key, value] : message.attributes) size += key.size() + value.size();
  return size;
}

std::optional<Error> check_messages(const std::vector<OutgoingMessage>& messages) {
  if (messages.empty() || messages.size() > limits::batch_max) {
    return invalid("messages must hold 1 to " + std::to_string(limits::batch_max) + " messages, got " +
                   std::to_string(messages.size()));
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const OutgoingMessage& m = messages[i];
    if (!is_valid_utf8(m.body)) return invalid(message_field(i, "body") + " is not valid UTF-8");
    if (m.delay_s) {
      if (auto e = check_range(message_field(i, "delay_s"), *m.delay_s, 0, limits::delay_max_s)) return e;
    }
    if (m.attributes.size() > limits::message_attributes_max) {
      return invalid(message_field(i, "attributes") + " may hold at most " +
                     std::to_string(limits::message_attributes_max) + " entries");
    }
    for (const auto& [key, value] : m.attributes) {
      if (key.empty() || key.size() > limits::attribute_key_max || !is_valid_utf8(key)) {
        return invalid(message_field(i, "attributes") + " keys must be 1 to " +
                       std::to_string(limits::attribute_key_max) + " bytes of UTF-8");
      }
      if (!is_valid_utf8(value)) {
        return invalid(message_field(i, "attributes") + " value of \"" + key + "\" is not valid UTF-8");
      }
    }
    if (m.group_id) {
      if (auto e = check_token_id(message_field(i, "group_id"), *m.group_id, limits::group_id_max)) return e;
    }
    if (m.dedup_id) {
      if (auto e = check_token_id(message_field(i, "dedup_id"), *m.dedup_id, limits::dedup_id_max)) return e;
    }
    if (message_size(m) > static_cast<std::size_t>(limits::max_message_bytes_max)) {
      return Error{ErrorCode::payload_too_large,
                   message_field(i, "body") + " plus attributes exceeds " +
                       std::to_string(limits::max_message_bytes_max) + " bytes"};
    }
  }
  return std::nullopt;
}

std::optional<Error> check_for_queue(const std::vector<OutgoingMessage>& messages, const QueueAttributes& queue) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const OutgoingMessage& m = messages[i];
    if (queue.fifo && !m.group_id) return invalid(message_field(i, "group_id") + " is required on a FIFO queue");
    if (!queue.fifo && m.group_id) {
      return invalid(message_field(i, "group_id") + " is only allowed on FIFO queues (names ending in \".fifo\")");
    }
    if (message_size(m) > static_cast<std::size_t>(queue.max_message_bytes)) {
      return Error{ErrorCode::payload_too_large, message_field(i, "body") + " plus attributes exceeds the queue's " +
                                                     "max_message_bytes (" + std::to_string(queue.max_message_bytes) +
                                                     ")"};
    }
  }
  return std::nullopt;
}

std::optional<Error> check_receive(const ReceiveOptions& options) {
  if (auto e = check_range("max", options.max, 1, limits::receive_max)) return e;
  if (options.visibility_timeout_s) {
    if (auto e = check_visibility_timeout(*options.visibility_timeout_s)) return e;
  }
  if (auto e = check_range("wait_ms", options.wait_ms, 0, limits::wait_max_ms)) return e;
  if (options.ack.size() <= limits::batch_max) return std::nullopt;
  return invalid("ack must hold at most " + std::to_string(limits::batch_max) + " receipts, got " +
                 std::to_string(options.ack.size()));
}

std::optional<Error> check_wait_s(int seconds) {
  return check_range("wait_s", seconds, 0, limits::wait_max_s);
}

std::optional<Error> check_receipt_batch(std::size_t count) {
  if (count >= 1 && count <= limits::batch_max) return std::nullopt;
  return invalid("receipts must hold 1 to " + std::to_string(limits::batch_max) + " receipts, got " +
                 std::to_string(count));
}

std::optional<Error> check_visibility_timeout(int seconds, std::string_view field) {
  return check_range(field, seconds, 0, limits::visibility_timeout_max_s);
}

std::optional<Error> check_redrive(std::string_view dead_letter_queue, const RedriveRequest& request) {
  if (auto e = check_queue_name(dead_letter_queue)) return e;
  if (request.to) {
    if (auto e = check_queue_name(*request.to, "to")) return e;
    if (*request.to == dead_letter_queue) return invalid("to must differ from the dead-letter queue");
  }
  if (request.max) return check_range("max", *request.max, 1, limits::redrive_max);
  return std::nullopt;
}

std::optional<Error> check_peek(const PeekRequest& request) {
  return check_range("limit", request.limit, 1, limits::peek_limit_max);
}

QueueAttributes apply_patch(QueueAttributes base, const AttributesPatch& patch) {
  if (patch.visibility_timeout_s) base.visibility_timeout_s = *patch.visibility_timeout_s;
  if (patch.retention_s) base.retention_s = *patch.retention_s;
  if (patch.delay_s) base.delay_s = *patch.delay_s;
  if (patch.max_message_bytes) base.max_message_bytes = *patch.max_message_bytes;
  if (patch.dead_letter) base.dead_letter = *patch.dead_letter;
  if (patch.dedup_window_s) base.dedup_window_s = *patch.dedup_window_s;
  if (patch.paused) base.paused = *patch.paused;
  return base;
}

}  // namespace queue::core
