// Strict reading of JSON request documents: every field typed, bounded and known.
//
// The request parsers (codec.h) read documents through these helpers, which throw
// InputError naming the offending field ("messages[2].delay_s must be ...") at the
// first problem; the parsers turn it into an invalid_request Result. A field a
// client misspelled is an error, never silently ignored: `visiblity_timeout_s`
// would otherwise leave the default in place and the client none the wiser.
//
// Free of web/ so libFuzzer targets can drive the parsers directly.
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace queue::api::json_fields {

// Bad input; what() is the client-facing message.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `body` parsed as a JSON object. An empty body is {} when `empty_is_object`
// (routes whose fields are all optional), else an error.
boost::json::object parse_object(std::string_view body, bool empty_is_object);

// Typed reads of one value; `field` names it in the error ("receipts[3]").
std::string read_string(const boost::json::value& value, std::string_view field);
int read_int(const boost::json::value& value, std::string_view field, int min, int max);
bool read_bool(const boost::json::value& value, std::string_view field);
const boost::json::array& read_array(const boost::json::value& value, std::string_view field);
const boost::json::object& read_object(const boost::json::value& value, std::string_view field);

// The fields of one JSON object, addressed by key.
class ObjectReader {
 public:
  // `path` names the object in errors: "" for the document, "messages[3]", "dead_letter".
  ObjectReader(const boost::json::object& object, std::string path);

  // Fails naming the first key that is not one of `known`.
  void allow_only(std::initializer_list<std::string_view> known) const;

  // The value, or null when the key is absent (a JSON null is present, not absent).
  const boost::json::value* find(std::string_view key) const;
  // The value; fails saying the field is required when absent.
  const boost::json::value& required(std::string_view key) const;
  // "path.key", as errors name it.
  std::string field(std::string_view key) const;

  std::optional<int> optional_int(std::string_view key, int min, int max) const;
  std::optional<std::string> optional_string(std::string_view key) const;
  std::optional<bool> optional_bool(std::string_view key) const;

 private:
  const boost::json::object& object_;
  std::string path_;
};

}  // namespace queue::api::json_fields
