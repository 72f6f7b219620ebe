// POST /queues/{q}/messages: parse_send_body.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace queue;
namespace limits = core::limits;

bool printable_ascii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

void require_token_id(const std::optional<std::string>& id, std::size_t max, std::string_view field) {
  if (!id) return;
  fuzz::require(!id->empty() && id->size() <= max && printable_ascii(*id),
                std::string(field) + " accepted that is not 1.." + std::to_string(max) + " printable ASCII");
}

void require_keeps_rules(const core::OutgoingMessage& message) {
  fuzz::require(core::is_valid_utf8(message.body), "body accepted that is not UTF-8");
  fuzz::require(!message.delay_s || (*message.delay_s >= 0 && *message.delay_s <= limits::delay_max_s),
                "delay_s accepted out of range");
  fuzz::require(message.attributes.size() <= limits::message_attributes_max, "too many attributes accepted");
  for (const auto& [key, value] : message.attributes) {
    fuzz::require(!key.empty() && key.size() <= limits::attribute_key_max && core::is_valid_utf8(key),
                  "attribute key accepted that is not 1..256 bytes of UTF-8");
    fuzz::require(core::is_valid_utf8(value), "attribute value accepted that is not UTF-8");
  }
  require_token_id(message.group_id, limits::group_id_max, "group_id");
  require_token_id(message.dedup_id, limits::dedup_id_max, "dedup_id");
  fuzz::require(core::message_size(message) <= static_cast<std::size_t>(limits::max_message_bytes_max),
                "message accepted above the largest max_message_bytes");
}

boost::json::object canonical(const core::OutgoingMessage& message) {
  boost::json::object attributes;
  for (const auto& [key, value] : message.attributes) attributes[key] = value;
  boost::json::object object{{"body", message.body}, {"attributes", std::move(attributes)}};
  if (message.delay_s) object["delay_s"] = *message.delay_s;
  if (message.group_id) object["group_id"] = *message.group_id;
  if (message.dedup_id) object["dedup_id"] = *message.dedup_id;
  return object;
}

bool same(const core::OutgoingMessage& a, const core::OutgoingMessage& b) {
  return a.body == b.body && a.delay_s == b.delay_s && a.attributes == b.attributes && a.group_id == b.group_id &&
         a.dedup_id == b.dedup_id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  core::Result<api::ParsedSend> parsed = api::parse_send_body(fuzz::as_text(data, size));
  if (!parsed.ok()) {
    fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request, core::ErrorCode::payload_too_large});
    return 0;
  }
  const std::vector<core::OutgoingMessage>& messages = parsed->messages;
  fuzz::require(!messages.empty() && messages.size() <= limits::batch_max, "batch size accepted out of range");
  boost::json::array items;
  for (const core::OutgoingMessage& message : messages) {
    require_keeps_rules(message);
    items.push_back(canonical(message));
  }

  core::Result<api::ParsedSend> again =
      api::parse_send_body(fuzz::serialize(boost::json::object{{"messages", std::move(items)}}));
  fuzz::require(again.ok(), "canonical form of an accepted send refused");
  fuzz::require(again->messages.size() == messages.size(), "round trip changed the batch size");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    fuzz::require(same(messages[i], again->messages[i]), "round trip changed message " + std::to_string(i));
  }
  return 0;
}
