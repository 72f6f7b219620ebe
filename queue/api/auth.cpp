#include "queue/api/auth.h"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "common/secrets.h"

namespace queue::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = s.find(separator, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Scope parse_scope(std::string_view word, std::string_view entry_name) {
  if (word == "admin") return Scope::admin;
  if (word == "send") return Scope::send;
  if (word == "receive") return Scope::receive;
  if (word == "metrics") return Scope::metrics;
  throw std::invalid_argument("QUEUE_API_TOKENS: entry '" + std::string(entry_name) + "' has unknown scope '" +
                              std::string(word) + "' (expected admin, send, receive or metrics)");
}

bool glob_matches(const std::string& glob, std::string_view queue) {
  // fnmatch needs a NUL-terminated name; queue names are at most 85 bytes.
  return ::fnmatch(glob.c_str(), std::string(queue).c_str(), 0) == 0;
}

// Whether two entries grant the same rights, whatever order their scopes were written in.
bool same_grants(std::vector<Grant> a, std::vector<Grant> b) {
  auto key = [](const Grant& grant) { return std::pair(grant.scope, std::string_view(grant.queue_glob)); };
  auto by_key = [&](const Grant& x, const Grant& y) { return key(x) < key(y); };
  std::sort(a.begin(), a.end(), by_key);
  std::sort(b.begin(), b.end(), by_key);
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](const Grant& x, const Grant& y) { return key(x) == key(y); });
}

}  // namespace

bool Principal::allows(Scope scope, std::string_view queue) const {
  for (const Grant& grant : grants) {
    if ((grant.scope == scope || grant.scope == Scope::admin) && glob_matches(grant.queue_glob, queue)) return true;
  }
  return false;
}

bool Principal::sees(std::string_view queue) const {
  for (const Grant& grant : grants) {
    if (glob_matches(grant.queue_glob, queue)) return true;
  }
  return false;
}

TokenTable TokenTable::parse(std::string_view spec) {
  TokenTable table;
  for (std::string_view raw_entry : split(spec, ';')) {
    std::string_view entry = trim(raw_entry);
    if (entry.empty()) continue;
    auto fields = split(entry, ':');
    std::string_view name = fields.empty() ? std::string_view{} : trim(fields[0]);
    if (fields.size() != 3 || name.empty()) {
      throw std::invalid_argument("QUEUE_API_TOKENS: entry '" + std::string(name) +
                                  "' must be name:token:scopes (entries separated by ';')");
    }
    std::string_view token = trim(fields[1]);
    if (token.size() < 8) {
      throw std::invalid_argument("QUEUE_API_TOKENS: token of '" + std::string(name) +
                                  "' is shorter than 8 characters");
    }
    Principal principal{std::string(name), std::string(token), {}};
    for (std::string_view raw_scope : split(fields[2], ',')) {
      std::string_view scope_spec = trim(raw_scope);
      if (scope_spec.empty()) continue;
      auto at = scope_spec.find('@');
      std::string_view word = scope_spec.substr(0, at);
      std::string glob = at == std::string_view::npos ? "*" : std::string(scope_spec.substr(at + 1));
      if (glob.empty()) {
        throw std::invalid_argument("QUEUE_API_TOKENS: entry '" + std::string(name) + "' has an empty glob after '@'");
      }
      principal.grants.push_back({parse_scope(word, name), std::move(glob)});
    }
    if (principal.grants.empty()) {
      throw std::invalid_argument("QUEUE_API_TOKENS: entry '" + std::string(name) + "' grants no scope");
    }
    for (const Principal& existing : table.principals_) {
      // One name with several tokens is one principal mid-rotation (docs/token-rotation.md):
      // each entry authenticates on its own, but a rotation must never change rights.
      if (existing.name == principal.name && !same_grants(existing.grants, principal.grants)) {
        throw std::invalid_argument("QUEUE_API_TOKENS: entry '" + principal.name +
                                    "' repeats a name with other scopes (every token of a name must grant the same)");
      }
      if (existing.token == principal.token) {
        throw std::invalid_argument("QUEUE_API_TOKENS: entries '" + existing.name + "' and '" + principal.name +
                                    "' share a token");
      }
    }
    table.principals_.push_back(std::move(principal));
  }
  return table;
}

const Principal* TokenTable::authenticate(std::string_view token) const {
  // Compare against every entry, not stopping at the first match, so the time
  // taken does not reveal the position of the matching entry.
  const Principal* found = nullptr;
  for (const Principal& principal : principals_) {
    if (common::constant_time_equal(token, principal.token)) found = &principal;
  }
  return found;
}

std::optional<std::string_view> bearer_token(std::string_view header) {
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char s = scheme[i];
    if (s >= 'A' && s <= 'Z') s = static_cast<char>(s - 'A' + 'a');
    if (c != s) return std::nullopt;
  }
  std::string_view token = trim(header.substr(scheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace queue::api
