#include "queue/remote/wire_codec.h"

#include <charconv>
#include <limits>
#include <stdexcept>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace queue::remote::wire {
namespace {

namespace json = boost::json;
using contract::Error;
using contract::ErrorCode;
using contract::Result;

// --- writing ---

json::array string_array(const std::vector<std::string>& items) {
  json::array array;
  array.reserve(items.size());
  for (const std::string& item : items) array.emplace_back(item);
  return array;
}

json::object message_json(const contract::OutgoingMessage& message) {
  json::object object{{"body", message.body}};
  if (message.delay_s) object["delay_s"] = *message.delay_s;
  if (!message.attributes.empty()) {
    json::object attributes;
    for (const auto& [key, value] : message.attributes) attributes[key] = value;
    object["attributes"] = std::move(attributes);
  }
  if (message.group_id) object["group_id"] = *message.group_id;
  if (message.dedup_id) object["dedup_id"] = *message.dedup_id;
  return object;
}

// --- reading ---

// A response that does not have the shape API v1 promises; caught in parse_document.
struct BadDocument : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string_view kind_of(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

[[noreturn]] void wrong_type(const std::string& field, std::string_view expected, const json::value& value) {
  throw BadDocument("'" + field + "' should be " + std::string(expected) + ", got " + std::string(kind_of(value)));
}

std::string read_string(const json::value& value, const std::string& field) {
  if (!value.is_string()) wrong_type(field, "a string", value);
  const json::string& text = value.get_string();
  return std::string(text.data(), text.size());
}

std::int64_t read_int64(const json::value& value, const std::string& field) {
  boost::system::error_code ec;
  auto number = value.to_number<std::int64_t>(ec);
  if (ec) wrong_type(field, "an integer", value);
  return number;
}

int read_int(const json::value& value, const std::string& field) {
  std::int64_t number = read_int64(value, field);
  if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
    throw BadDocument("'" + field + "' is out of range: " + std::to_string(number));
  }
  return static_cast<int>(number);
}

const json::array& read_array(const json::value& value, const std::string& field) {
  if (!value.is_array()) wrong_type(field, "an array", value);
  return value.get_array();
}

std::int64_t read_timestamp(const json::value& value, const std::string& field) {
  std::string text = read_string(value, field);
  std::optional<std::int64_t> instant = parse_timestamp(text);
  if (!instant) throw BadDocument("'" + field + "' is not an RFC 3339 UTC timestamp: '" + text + "'");
  return *instant;
}

// A JSON object and where it was found ("messages[2].attributes"), for messages that
// say which field was wrong.
class Fields {
 public:
  Fields(const json::value& value, std::string path) : path_(std::move(path)) {
    if (!value.is_object()) wrong_type(path_.empty() ? "the response" : path_, "an object", value);
    object_ = &value.get_object();
  }

  std::string field(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const json::value* find(std::string_view key) const { return object_->if_contains(key); }
  const json::value& required(std::string_view key) const {
    const json::value* value = find(key);
    if (value == nullptr) throw BadDocument("'" + field(key) + "' is missing");
    return *value;
  }

  std::string string(std::string_view key) const { return read_string(required(key), field(key)); }
  std::int64_t int64(std::string_view key) const { return read_int64(required(key), field(key)); }
  int integer(std::string_view key) const { return read_int(required(key), field(key)); }
  std::int64_t timestamp(std::string_view key) const { return read_timestamp(required(key), field(key)); }
  bool boolean(std::string_view key) const {
    const json::value& value = required(key);
    if (!value.is_bool()) wrong_type(field(key), "a boolean", value);
    return value.get_bool();
  }
  const json::array& array(std::string_view key) const { return read_array(required(key), field(key)); }
  Fields object(std::string_view key) const { return Fields(required(key), field(key)); }
  // Absent and null both read as nullopt.
  std::optional<std::string> optional_string(std::string_view key) const {
    const json::value* value = find(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return read_string(*value, field(key));
  }

  const json::object& raw() const { return *object_; }

 private:
  const json::object* object_ = nullptr;
  std::string path_;
};

std::string element(std::string_view array_field, std::size_t index) {
  return std::string(array_field) + "[" + std::to_string(index) + "]";
}

// Reads every element of the array at `key` with `read(Fields)`.
template <typename Read>
auto read_each(const Fields& fields, std::string_view key, Read read) {
  const json::array& items = fields.array(key);
  std::vector<decltype(read(std::declval<Fields>()))> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out.push_back(read(Fields(items[i], element(fields.field(key), i))));
  return out;
}

contract::MessageAttributes read_attributes(const Fields& message) {
  contract::MessageAttributes attributes;
  const json::value* value = message.find("attributes");
  if (value == nullptr) return attributes;
  Fields object(*value, message.field("attributes"));
  for (const auto& entry : object.raw()) {
    attributes.emplace(std::string(entry.key()), read_string(entry.value(), object.field(entry.key())));
  }
  return attributes;
}

// What a received and a peeked message share.
template <typename Message>
Message read_message(const Fields& fields) {
  Message message;
  message.id = fields.string("id");
  message.body = fields.string("body");
  message.attributes = read_attributes(fields);
  message.receive_count = fields.integer("receive_count");
  message.sent_at_ms = fields.timestamp("sent_at");
  message.group_id = fields.optional_string("group_id");
  return message;
}

std::vector<contract::ReceiptFailure> read_failures(const Fields& fields) {
  return read_each(fields, "failed", [](const Fields& failure) {
    std::string code = failure.string("code");
    return contract::ReceiptFailure{failure.string("receipt"),
                                    contract::parse_error_code(code).value_or(ErrorCode::receipt_invalid)};
  });
}

std::vector<contract::ReceivedMessage> read_received(const Fields& fields) {
  return read_each(fields, "messages", [](const Fields& item) {
    auto message = read_message<contract::ReceivedMessage>(item);
    message.receipt = item.string("receipt");
    return message;
  });
}

contract::AckResult read_acked(const Fields& fields) {
  return contract::AckResult{fields.int64("acked"), read_failures(fields)};
}

contract::QueueInfo read_queue_info(const Fields& fields) {
  contract::QueueInfo info;
  info.name = fields.string("name");
  Fields attributes = fields.object("attributes");
  contract::QueueAttributes& a = info.attributes;
  a.visibility_timeout_s = attributes.integer("visibility_timeout_s");
  a.retention_s = attributes.integer("retention_s");
  a.delay_s = attributes.integer("delay_s");
  a.max_message_bytes = attributes.integer("max_message_bytes");
  if (const json::value* policy = attributes.find("dead_letter"); policy != nullptr && !policy->is_null()) {
    Fields dead_letter(*policy, attributes.field("dead_letter"));
    a.dead_letter = contract::DeadLetterPolicy{dead_letter.string("queue"), dead_letter.integer("max_receives")};
  }
  a.fifo = attributes.boolean("fifo");
  a.dedup_window_s = attributes.integer("dedup_window_s");
  // Absent from servers older than the attribute: they cannot pause.
  if (const json::value* paused = attributes.find("paused"); paused != nullptr) a.paused = attributes.boolean("paused");
  Fields stats = fields.object("stats");
  info.stats = {stats.int64("visible"), stats.int64("in_flight"), stats.int64("delayed"), stats.int64("oldest_age_s")};
  // Absent from Queue builds before the counters: 0, not a malformed answer.
  auto counter = [&stats](std::string_view key) -> std::int64_t {
    const json::value* value = stats.find(key);
    return value == nullptr ? 0 : read_int64(*value, stats.field(key));
  };
  info.stats.sent_total = counter("sent_total");
  info.stats.received_total = counter("received_total");
  info.stats.acked_total = counter("acked_total");
  info.created_at_ms = fields.timestamp("created_at");
  return info;
}

Error malformed(std::string what) {
  return Error{ErrorCode::internal_error, "malformed response from Queue: " + std::move(what), {}, {}};
}

// Parses `body` as a JSON object and reads it with `read(Fields)`; any deviation from
// the expected shape is an internal_error, never an exception.
template <typename Read>
auto parse_document(std::string_view body, Read read) -> Result<decltype(read(std::declval<const Fields&>()))> {
  boost::system::error_code ec;
  json::value document = json::parse(body, ec);
  if (ec) return malformed("the body is not JSON (" + ec.message() + ")");
  try {
    return read(Fields(document, ""));
  } catch (const BadDocument& error) {
    return malformed(error.what());
  }
}

// "12" -> 12 when the whole text is digits of the given count.
std::optional<int> digits(std::string_view text, std::size_t offset, std::size_t count) {
  if (offset + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = offset; i < offset + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

// --- request bodies ---

std::string put_queue_body(const contract::QueuePatch& patch) {
  json::object object;
  auto put = [&](std::string_view key, const std::optional<int>& value) {
    if (value) object[key] = *value;
  };
  put("visibility_timeout_s", patch.visibility_timeout_s);
  put("retention_s", patch.retention_s);
  put("delay_s", patch.delay_s);
  put("max_message_bytes", patch.max_message_bytes);
  if (patch.dead_letter) {
    const std::optional<contract::DeadLetterPolicy>& policy = *patch.dead_letter;
    object["dead_letter"] = policy ? json::value(json::object{{"queue", policy->queue}, {"max_receives", policy->max_receives}})
                                   : json::value(nullptr);
  }
  if (patch.fifo) object["fifo"] = *patch.fifo;
  put("dedup_window_s", patch.dedup_window_s);
  if (patch.paused) object["paused"] = *patch.paused;
  return json::serialize(object);
}

std::string send_body(const std::vector<contract::OutgoingMessage>& messages) {
  json::array list;
  list.reserve(messages.size());
  for (const contract::OutgoingMessage& message : messages) list.emplace_back(message_json(message));
  return json::serialize(json::object{{"messages", std::move(list)}});
}

std::string receive_body(int max, std::optional<int> visibility_timeout_s, int wait_s,
                         const std::vector<std::string>& ack) {
  json::object object{{"max", max}, {"wait_s", wait_s}};
  if (visibility_timeout_s) object["visibility_timeout_s"] = *visibility_timeout_s;
  if (!ack.empty()) object["ack"] = string_array(ack);
  return json::serialize(object);
}

std::string receipts_body(const std::vector<std::string>& receipts) {
  return json::serialize(json::object{{"receipts", string_array(receipts)}});
}

std::string visibility_body(const std::vector<std::string>& receipts, int visibility_timeout_s) {
  return json::serialize(
      json::object{{"receipts", string_array(receipts)}, {"visibility_timeout_s", visibility_timeout_s}});
}

std::string redrive_body(const contract::RedriveRequest& request) {
  json::object object;
  if (request.to) object["to"] = *request.to;
  if (request.max) object["max"] = *request.max;
  return json::serialize(object);
}

// --- response bodies ---

Result<contract::QueueInfo> parse_queue_info(std::string_view body) { return parse_document(body, read_queue_info); }

Result<contract::QueueList> parse_queue_list(std::string_view body) {
  return parse_document(body, [](const Fields& fields) {
    contract::QueueList list;
    const json::array& names = fields.array("queues");
    list.names.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) list.names.push_back(read_string(names[i], element("queues", i)));
    list.next_cursor = fields.optional_string("next_cursor");
    return list;
  });
}

Result<contract::SendResult> parse_sent(std::string_view body) {
  return parse_document(body, [](const Fields& fields) {
    return contract::SendResult{read_each(fields, "messages", [](const Fields& sent) { return sent.string("id"); })};
  });
}

Result<std::vector<contract::ReceivedMessage>> parse_received(std::string_view body) {
  return parse_document(body, read_received);
}

Result<contract::AckResult> parse_acked(std::string_view body) { return parse_document(body, read_acked); }

Result<contract::ReceiveResult> parse_received_with_acks(std::string_view body) {
  return parse_document(body, [](const Fields& fields) {
    // Absent when the request had no receipts to ack (its "ack" was left out).
    contract::AckResult acks = fields.find("acks") != nullptr ? read_acked(fields.object("acks")) : contract::AckResult{};
    return contract::ReceiveResult{std::move(acks), read_received(fields)};
  });
}

Result<contract::VisibilityResult> parse_visibility(std::string_view body) {
  return parse_document(body, [](const Fields& fields) {
    return contract::VisibilityResult{fields.int64("updated"), read_failures(fields)};
  });
}

// `state`: what a server older than the field answered for (the state asked for).
contract::PeekedMessage read_peeked(const Fields& item, contract::PeekState state) {
  auto message = read_message<contract::PeekedMessage>(item);
  message.visible_at_ms = item.timestamp("visible_at");
  message.state = state;
  if (auto name = item.optional_string("state")) {
    std::optional<contract::PeekState> known = contract::parse_peek_state(*name);
    if (!known) throw BadDocument("'" + item.field("state") + "' is not a state this client knows: '" + *name + "'");
    message.state = *known;
  }
  return message;
}

Result<contract::PeekPage> parse_peek_page(std::string_view body, contract::PeekState state) {
  return parse_document(body, [state](const Fields& fields) {
    contract::PeekPage page;
    page.messages = read_each(fields, "messages", [state](const Fields& item) { return read_peeked(item, state); });
    page.next_cursor = fields.optional_string("next_cursor");
    return page;
  });
}

Result<contract::PeekedMessage> parse_peeked_message(std::string_view body) {
  return parse_document(body, [](const Fields& fields) { return read_peeked(fields, contract::PeekState::visible); });
}

Result<contract::PurgeResult> parse_purged(std::string_view body) {
  return parse_document(body, [](const Fields& fields) { return contract::PurgeResult{fields.int64("purged")}; });
}

Result<contract::RedriveResult> parse_redriven(std::string_view body) {
  return parse_document(body, [](const Fields& fields) { return contract::RedriveResult{fields.int64("moved")}; });
}

// --- errors ---

ErrorCode code_for_status(int status) {
  // Gateways answer 502/504 when Queue is unreachable or slow: as transient as a 503.
  if (status == 502 || status == 504) return ErrorCode::unavailable;
  if (status == 404) return ErrorCode::not_found;  // not queue_not_found: the route itself may be missing
  for (ErrorCode code : contract::all_error_codes) {
    if (code != ErrorCode::receipt_invalid && code != ErrorCode::deadline_exceeded &&
        contract::http_status(code) == status) {
      return code;
    }
  }
  return status >= 400 && status < 500 ? ErrorCode::invalid_request : ErrorCode::internal_error;
}

Error parse_error(int status, std::string_view body, std::string_view request_id_header,
                  std::optional<std::chrono::seconds> retry_after) {
  Error error{code_for_status(status), {}, std::string(request_id_header), retry_after};
  boost::system::error_code ec;
  json::value document = json::parse(body, ec);
  const json::object* object = ec ? nullptr : document.if_object();
  const json::value* detail = object ? object->if_contains("error") : nullptr;
  const json::object* fields = detail ? detail->if_object() : nullptr;
  auto text = [&](const json::object* in, std::string_view key) -> std::optional<std::string> {
    const json::value* value = in ? in->if_contains(key) : nullptr;
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->get_string());
  };
  if (fields == nullptr) {
    // Not an API error document: a proxy's page, or an empty body. Show a little of it.
    constexpr std::size_t shown = 200;
    error.message = "HTTP " + std::to_string(status) + " from the server" +
                    (body.empty() ? std::string() : ": " + std::string(body.substr(0, shown)));
    return error;
  }
  // Queue: {"error":{"code","message","request_id"}}; Raptor: {"error":{"type","detail"},"request_id"}.
  if (auto code = text(fields, "code")) {
    if (auto known = contract::parse_error_code(*code)) error.code = *known;
  }
  error.message = text(fields, "message").value_or(text(fields, "detail").value_or("HTTP " + std::to_string(status)));
  if (auto id = text(fields, "request_id").value_or(text(object, "request_id").value_or("")); !id.empty()) {
    error.request_id = std::move(id);
  }
  return error;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

// --- instants ---

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SS[.fff...]Z
  auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::size_t at = 19;
  int ms = 0;
  if (text[at] == '.') {
    std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - start < 3) ms = ms * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start) return std::nullopt;
    for (std::size_t i = at - start; i < 3; ++i) ms *= 10;
  }
  if (at + 1 != text.size() || (text[at] != 'Z' && text[at] != 'z')) return std::nullopt;
  const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const sys_time<milliseconds> instant =
      sys_days(date) + hours(*h) + minutes(*mi) + seconds(*s) + milliseconds(ms);
  return instant.time_since_epoch().count();
}

}  // namespace queue::remote::wire
