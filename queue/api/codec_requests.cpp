// The request half of codec.h: JSON bodies -> core types.
#include <boost/json/array.hpp>

#include "queue/api/codec.h"
#include "queue/api/json_fields.h"
#include "queue/core/validation.h"

namespace queue::api {
namespace {

namespace limits = core::limits;
using json_fields::InputError;
using json_fields::ObjectReader;

constexpr int ms_per_s = 1'000;

// Runs a parser written against InputError and answers as the codec promises: a Result.
template <typename Parse>
auto parse_with(Parse parse) -> core::Result<decltype(parse())> {
  try {
    return parse();
  } catch (const InputError& error) {
    return core::make_error(core::ErrorCode::invalid_request, error.what());
  }
}

std::string element_field(std::string_view array_field, std::size_t index) {
  return std::string(array_field) + "[" + std::to_string(index) + "]";
}

// The array's size is checked before its elements are read: a 10^6-element array
// is refused without parsing a million entries.
const boost::json::array& read_batch(const ObjectReader& reader, std::string_view key, std::string_view noun) {
  const boost::json::array& items = json_fields::read_array(reader.required(key), reader.field(key));
  if (items.empty() || items.size() > limits::batch_max) {
    throw InputError(reader.field(key) + " must hold 1 to " + std::to_string(limits::batch_max) + " " +
                     std::string(noun) + ", got " + std::to_string(items.size()));
  }
  return items;
}

std::vector<std::string> read_receipts(const ObjectReader& reader, std::string_view key = "receipts") {
  const boost::json::array& items = read_batch(reader, key, "receipts");
  std::vector<std::string> receipts;
  receipts.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    receipts.push_back(json_fields::read_string(items[i], element_field(reader.field(key), i)));
  }
  return receipts;
}

std::optional<core::DeadLetterPolicy> read_dead_letter(const ObjectReader& reader) {
  const boost::json::value& value = reader.required("dead_letter");
  if (value.is_null()) return std::nullopt;
  ObjectReader policy(json_fields::read_object(value, "dead_letter"), "dead_letter");
  policy.allow_only({"queue", "max_receives"});
  return core::DeadLetterPolicy{
      json_fields::read_string(policy.required("queue"), policy.field("queue")),
      json_fields::read_int(policy.required("max_receives"), policy.field("max_receives"), 1,
                            limits::max_receives_max)};
}

core::MessageAttributes read_message_attributes(const boost::json::value& value, const std::string& field) {
  core::MessageAttributes attributes;
  // Their count, keys and sizes are core::check_messages' rules, applied after parsing.
  for (const auto& entry : json_fields::read_object(value, field)) {
    if (!entry.value().is_string()) throw InputError(field + " values must be strings");
    const boost::json::string& text = entry.value().get_string();
    attributes.emplace(std::string(entry.key()), std::string(text.data(), text.size()));
  }
  return attributes;
}

core::OutgoingMessage read_message(const boost::json::value& value, const std::string& field) {
  ObjectReader reader(json_fields::read_object(value, field), field);
  reader.allow_only({"body", "delay_s", "attributes", "group_id", "dedup_id"});
  core::OutgoingMessage message;
  message.body = json_fields::read_string(reader.required("body"), reader.field("body"));
  message.delay_s = reader.optional_int("delay_s", 0, limits::delay_max_s);
  if (const boost::json::value* attributes = reader.find("attributes")) {
    message.attributes = read_message_attributes(*attributes, reader.field("attributes"));
  }
  message.group_id = reader.optional_string("group_id");
  message.dedup_id = reader.optional_string("dedup_id");
  return message;
}

}  // namespace

core::Result<core::AttributesPatch> parse_put_queue_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, true);
    ObjectReader reader(document, "");
    reader.allow_only({"visibility_timeout_s", "retention_s", "delay_s", "max_message_bytes", "dead_letter", "fifo",
                       "dedup_window_s", "paused"});
    core::AttributesPatch patch;
    patch.visibility_timeout_s = reader.optional_int("visibility_timeout_s", 0, limits::visibility_timeout_max_s);
    patch.retention_s = reader.optional_int("retention_s", limits::retention_min_s, limits::retention_max_s);
    patch.delay_s = reader.optional_int("delay_s", 0, limits::delay_max_s);
    patch.max_message_bytes = reader.optional_int("max_message_bytes", 1, limits::max_message_bytes_max);
    if (reader.find("dead_letter") != nullptr) patch.dead_letter = read_dead_letter(reader);
    patch.fifo = reader.optional_bool("fifo");
    patch.dedup_window_s = reader.optional_int("dedup_window_s", 0, limits::dedup_window_max_s);
    patch.paused = reader.optional_bool("paused");
    return patch;
  });
}

core::Result<ParsedSend> parse_send_body(std::string_view body) {
  core::Result<ParsedSend> parsed = parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, false);
    ObjectReader reader(document, "");
    reader.allow_only({"messages"});
    const boost::json::array& items = read_batch(reader, "messages", "messages");
    ParsedSend send;
    send.messages.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      send.messages.push_back(read_message(items[i], element_field("messages", i)));
    }
    return send;
  });
  if (!parsed.ok()) return parsed;
  if (auto problem = core::check_messages(parsed->messages)) return *problem;
  return parsed;
}

core::Result<core::ReceiveOptions> parse_receive_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, true);
    ObjectReader reader(document, "");
    reader.allow_only({"max", "visibility_timeout_s", "wait_s", "ack"});
    core::ReceiveOptions options;
    options.max = reader.optional_int("max", 1, limits::receive_max).value_or(options.max);
    options.visibility_timeout_s = reader.optional_int("visibility_timeout_s", 0, limits::visibility_timeout_max_s);
    options.wait_ms = reader.optional_int("wait_s", 0, limits::wait_max_s).value_or(0) * ms_per_s;
    // As the ack route reads "receipts": a malformed receipt is answered per receipt.
    if (reader.find("ack") != nullptr) options.ack = read_receipts(reader, "ack");
    return options;
  });
}

core::Result<std::vector<std::string>> parse_ack_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, false);
    ObjectReader reader(document, "");
    reader.allow_only({"receipts"});
    return read_receipts(reader);
  });
}

core::Result<VisibilityChange> parse_visibility_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, false);
    ObjectReader reader(document, "");
    reader.allow_only({"receipts", "visibility_timeout_s"});
    VisibilityChange change;
    change.receipts = read_receipts(reader);
    change.visibility_timeout_s = json_fields::read_int(reader.required("visibility_timeout_s"),
                                                        "visibility_timeout_s", 0, limits::visibility_timeout_max_s);
    return change;
  });
}

core::Result<core::RedriveRequest> parse_redrive_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, true);
    ObjectReader reader(document, "");
    reader.allow_only({"to", "max"});
    core::RedriveRequest request;
    request.to = reader.optional_string("to");
    if (auto max = reader.optional_int("max", 1, static_cast<int>(limits::redrive_max))) request.max = *max;
    return request;
  });
}

core::Result<core::Done> parse_empty_body(std::string_view body) {
  return parse_with([&] {
    boost::json::object document = json_fields::parse_object(body, true);
    ObjectReader(document, "").allow_only({});
    return core::Done{};
  });
}

core::Result<core::PeekState> parse_peek_state(std::string_view text) {
  if (text == "visible") return core::PeekState::visible;
  if (text == "in_flight") return core::PeekState::in_flight;
  if (text == "delayed") return core::PeekState::delayed;
  return core::make_error(core::ErrorCode::invalid_request,
                          "query parameter 'state' must be visible, in_flight or delayed");
}

}  // namespace queue::api
