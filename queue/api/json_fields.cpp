#include "queue/api/json_fields.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace queue::api::json_fields {
namespace {

std::string_view kind_name(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "a value";
}

[[noreturn]] void wrong_type(const boost::json::value& value, std::string_view field, std::string_view expected) {
  throw InputError(std::string(field) + " must be " + std::string(expected) + ", got " +
                   std::string(kind_name(value)));
}

}  // namespace

boost::json::object parse_object(std::string_view body, bool empty_is_object) {
  if (body.empty()) {
    if (empty_is_object) return {};
    throw InputError("request body must be a JSON object, got an empty body");
  }
  boost::system::error_code error;
  // Boost.JSON rejects invalid UTF-8 and lone surrogates, and nesting past 32
  // levels, so neither a hostile string nor a deep document gets further.
  boost::json::value document = boost::json::parse(body, error);
  if (error) throw InputError("request body is not valid JSON: " + error.message());
  if (!document.is_object()) throw InputError("request body must be a JSON object, got " + std::string(kind_name(document)));
  return std::move(document.as_object());
}

std::string read_string(const boost::json::value& value, std::string_view field) {
  if (!value.is_string()) wrong_type(value, field, "a string");
  const boost::json::string& text = value.get_string();
  return std::string(text.data(), text.size());
}

int read_int(const boost::json::value& value, std::string_view field, int min, int max) {
  std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  // 5.0 and 1e2 are numbers but not integers; a client sending them has a bug worth seeing.
  if (!value.is_int64() && !value.is_uint64()) wrong_type(value, field, range);
  // Boost.JSON holds only integers above INT64_MAX as uint64: out of every range here.
  if (!value.is_int64() || value.get_int64() < min || value.get_int64() > max) {
    throw InputError(std::string(field) + " must be " + range + ", got " + boost::json::serialize(value));
  }
  return static_cast<int>(value.get_int64());
}

bool read_bool(const boost::json::value& value, std::string_view field) {
  if (!value.is_bool()) wrong_type(value, field, "a boolean");
  return value.get_bool();
}

const boost::json::array& read_array(const boost::json::value& value, std::string_view field) {
  if (!value.is_array()) wrong_type(value, field, "an array");
  return value.get_array();
}

const boost::json::object& read_object(const boost::json::value& value, std::string_view field) {
  if (!value.is_object()) wrong_type(value, field, "an object");
  return value.get_object();
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string path)
    : object_(object), path_(std::move(path)) {}

void ObjectReader::allow_only(std::initializer_list<std::string_view> known) const {
  for (const auto& entry : object_) {
    bool is_known = false;
    for (std::string_view key : known) is_known = is_known || entry.key() == key;
    if (is_known) continue;
    // The key is the client's text: quote it as JSON so control characters stay visible.
    std::string quoted = boost::json::serialize(boost::json::value(entry.key()));
    if (quoted.size() > 64) {
      // Cut on a character boundary: the message goes into a JSON error body, which
      // must stay valid UTF-8 (a fuzzer found a cut inside a two-byte character).
      std::size_t cut = 60;
      while (cut > 0 && (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) --cut;
      quoted = quoted.substr(0, cut) + "...\"";
    }
    throw InputError((path_.empty() ? std::string("request body") : path_) + " has unknown field " + quoted);
  }
}

const boost::json::value* ObjectReader::find(std::string_view key) const { return object_.if_contains(key); }

const boost::json::value& ObjectReader::required(std::string_view key) const {
  const boost::json::value* value = find(key);
  if (value == nullptr) throw InputError(field(key) + " is required");
  return *value;
}

std::string ObjectReader::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::optional<int> ObjectReader::optional_int(std::string_view key, int min, int max) const {
  const boost::json::value* value = find(key);
  if (value == nullptr) return std::nullopt;
  return read_int(*value, field(key), min, max);
}

std::optional<std::string> ObjectReader::optional_string(std::string_view key) const {
  const boost::json::value* value = find(key);
  if (value == nullptr) return std::nullopt;
  return read_string(*value, field(key));
}

std::optional<bool> ObjectReader::optional_bool(std::string_view key) const {
  const boost::json::value* value = find(key);
  if (value == nullptr) return std::nullopt;
  return read_bool(*value, field(key));
}

}  // namespace queue::api::json_fields
