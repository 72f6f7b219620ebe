#include "queue/storage/postgres/arrays.h"

namespace queue::storage::postgres {
namespace {

// Array elements are written double-quoted, with `"` and `\` escaped, so commas,
// braces, spaces and the word NULL inside a value stay data.
void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

template <typename Range, typename Append>
std::string array_of(const Range& values, Append append) {
  std::string out = "{";
  bool first = true;
  for (const auto& value : values) {
    if (!first) out.push_back(',');
    first = false;
    append(out, value);
  }
  out.push_back('}');
  return out;
}

}  // namespace

std::string int64_array(std::span<const std::int64_t> values) {
  return array_of(values, [](std::string& out, std::int64_t value) { out += std::to_string(value); });
}

std::string text_array(std::span<const std::optional<std::string>> values) {
  return array_of(values, [](std::string& out, const std::optional<std::string>& value) {
    if (value) {
      append_quoted(out, *value);
    } else {
      out += "NULL";
    }
  });
}

std::string bytea_array(std::span<const std::string_view> values) {
  static constexpr char digits[] = "0123456789abcdef";
  return array_of(values, [](std::string& out, std::string_view value) {
    // Inside a quoted element `\\` stands for one backslash: the element is \x<hex>.
    out.reserve(out.size() + value.size() * 2 + 6);
    out += "\"\\\\x";
    for (unsigned char c : value) {
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xf]);
    }
    out.push_back('"');
  });
}

}  // namespace queue::storage::postgres
