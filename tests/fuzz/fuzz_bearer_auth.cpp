// QUEUE_API_TOKENS (TokenTable::parse) and the Authorization header (bearer_token):
// a spec either parses or is refused with a clear std::invalid_argument, and every
// token it configures authenticates, through the header, as exactly its own entry.
// Input: the spec, a newline, then a header value (also used as a queue name for globs).
#include <stdexcept>
#include <string>
#include <vector>

#include "queue/api/auth.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace queue::api;

bool blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

void check_header(std::string_view header) {
  std::optional<std::string_view> token = bearer_token(header);
  if (!token) return;
  fuzz::require(!token->empty() && !blank(token->front()) && !blank(token->back()), "token not trimmed");
  std::string scheme(header.substr(0, 7));
  for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  fuzz::require(scheme == "bearer ", "token from a header that is not Bearer");
  fuzz::require(header.substr(7).find(*token) != std::string_view::npos, "token is not part of the header");
}

// The (name, token) of each entry of a spec that parsed: the documented format, read independently.
std::vector<std::pair<std::string_view, std::string_view>> entries_of(std::string_view spec) {
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  while (true) {
    std::size_t end = spec.find(';');
    std::string_view entry = trim(spec.substr(0, end));
    if (!entry.empty()) {
      std::size_t first = entry.find(':');
      std::size_t second = entry.find(':', first + 1);
      entries.emplace_back(trim(entry.substr(0, first)), trim(entry.substr(first + 1, second - first - 1)));
    }
    if (end == std::string_view::npos) return entries;
    spec.remove_prefix(end + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  std::size_t newline = input.find('\n');
  std::string_view spec = input.substr(0, newline);
  std::string_view header = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  check_header(header);

  TokenTable table;
  try {
    table = TokenTable::parse(spec);
  } catch (const std::invalid_argument& error) {
    fuzz::require(std::string_view(error.what()).starts_with("QUEUE_API_TOKENS: "), "refusal does not name the key");
    return 0;
  }
  auto entries = entries_of(spec);
  fuzz::require(entries.size() == table.size(), "entry count differs from the documented format");
  for (const auto& [name, token] : entries) {
    std::string authorization = "Bearer " + std::string(token);
    std::optional<std::string_view> presented = bearer_token(authorization);
    fuzz::require(presented == token, "a configured token does not survive the Authorization header");
    const Principal* principal = table.authenticate(*presented);
    fuzz::require(principal && principal->name == name && principal->token == token,
                  "a configured token does not authenticate as its entry");
    fuzz::require(!principal->grants.empty(), "an entry without grants");
    // Globs come from the operator, queue names from clients: any pair must be safe to match.
    (void)principal->allows(Scope::send, header);
    (void)principal->sees(header);
  }
  if (std::optional<std::string_view> token = bearer_token(header)) {
    const Principal* principal = table.authenticate(*token);
    fuzz::require(!principal || principal->token == *token, "authenticated a token that is not the entry's");
  }
  return 0;
}
