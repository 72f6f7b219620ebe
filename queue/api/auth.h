// Bearer-token authorization for Queue (QUEUE_API_TOKENS).
//
// Format: entries separated by ';', each `name:token:scopes`, scopes a comma list of
// `admin`, `send`, `receive`, each optionally limited to queue names by a glob:
//   QUEUE_API_TOKENS="ops:t0ps3cret:admin;worker:s3cret:receive@orders-*,send@audit"
// `admin` covers every operation; `receive` covers receive, ack and visibility;
// `metrics` only GET /metrics (for a Prometheus server, which needs nothing else).
// A name may appear in several entries with the same scopes: one principal holding
// several tokens at once, so a token can be rotated without downtime
// (docs/token-rotation.md). The same name with other scopes is refused.
// Tokens are compared in constant time and never logged (only the token's name is).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace queue::api {

enum class Scope { admin, send, receive, metrics };

struct Grant {
  Scope scope;
  std::string queue_glob;  // "*" when the entry names no @glob
};

struct Principal {
  std::string name;
  std::string token;
  std::vector<Grant> grants;

  // Whether this principal may perform an operation needing `scope` on `queue`.
  // admin satisfies every scope.
  bool allows(Scope scope, std::string_view queue) const;
  // Whether any grant at all covers `queue` (to see it in listings and stats).
  bool sees(std::string_view queue) const;
};

class TokenTable {
 public:
  // Throws std::invalid_argument naming the bad entry (never echoing its token).
  static TokenTable parse(std::string_view spec);

  bool empty() const { return principals_.empty(); }
  std::size_t size() const { return principals_.size(); }
  // The principal holding `token`, comparing against every entry in constant time.
  const Principal* authenticate(std::string_view token) const;

 private:
  std::vector<Principal> principals_;
};

// The token of an `Authorization: Bearer <token>` header value; nullopt if absent or malformed.
std::optional<std::string_view> bearer_token(std::string_view authorization_header);

}  // namespace queue::api
