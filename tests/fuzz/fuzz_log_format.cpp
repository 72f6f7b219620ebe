// common::log::format: whatever a message or field value holds (a client's header, a
// queue name, bytes that are not UTF-8), the line is one logfmt event: no control
// character breaks it, and a logfmt reader gets back exactly the values written.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// What format promises to keep of a value: \n \r \t survive (escaped); other control
// bytes become spaces so that they cannot end or garble the line.
std::string kept(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') c = ' ';
  }
  return out;
}

// A strict logfmt reader: key=value pairs separated by one space; a value is bare
// (up to the next space) or quoted with the escapes \" \\ \n \r \t.
std::optional<Pairs> read_logfmt(std::string_view line) {
  Pairs pairs;
  std::size_t at = 0;
  while (at < line.size()) {
    std::size_t equals = line.find('=', at);
    if (equals == std::string_view::npos) return std::nullopt;
    std::string key(line.substr(at, equals - at));
    at = equals + 1;
    std::string value;
    if (at < line.size() && line[at] == '"') {
      for (++at;; ++at) {
        if (at >= line.size()) return std::nullopt;  // unterminated
        char c = line[at];
        if (c == '"') break;
        if (c != '\\') {
          value += c;
          continue;
        }
        if (++at >= line.size()) return std::nullopt;
        switch (line[at]) {
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          default:
            return std::nullopt;
        }
      }
      ++at;  // the closing quote
    } else {
      std::size_t end = std::min(line.find(' ', at), line.size());
      value = std::string(line.substr(at, end - at));
      at = end;
    }
    pairs.emplace_back(std::move(key), std::move(value));
    if (at < line.size()) {
      if (line[at] != ' ') return std::nullopt;
      ++at;
    }
  }
  return pairs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Up to three values separated by NUL bytes: the message and two field values.
  std::string_view input = fuzz::as_text(data, size);
  std::vector<std::string_view> parts;
  for (int i = 0; i < 2; ++i) {
    std::size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  parts.push_back(input);
  parts.resize(3);

  std::string line = common::log::format(parts[0], {{"path", parts[1]}, {"detail", parts[2]}});
  for (unsigned char c : line) fuzz::require(c >= 0x20, "control byte in a log line: " + line);
  std::optional<Pairs> read = read_logfmt(line);
  fuzz::require(read.has_value(), "not logfmt: " + line);
  Pairs expected{{"msg", kept(parts[0])}, {"path", kept(parts[1])}, {"detail", kept(parts[2])}};
  fuzz::require(*read == expected, "logfmt reader does not get the values back: " + line);
  return 0;
}
