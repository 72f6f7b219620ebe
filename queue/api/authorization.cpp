#include "queue/api/authorization.h"

#include <string>

#include "queue/api/errors.h"

namespace queue::api {
namespace {

// RFC 6750 §3: a 401 tells the client which scheme to use, and error="invalid_token"
// when it presented one we do not accept (but not when it presented none).
[[noreturn]] void unauthorized(std::string message, bool presented_token) {
  std::string challenge = "Bearer realm=\"queue\"";
  if (presented_token) challenge += ", error=\"invalid_token\"";
  fail(contract::ErrorCode::unauthorized, std::move(message), {{"WWW-Authenticate", std::move(challenge)}});
}

std::string_view operation(Access access) {
  switch (access) {
    case Access::authenticated: return "list queues";
    case Access::see_queue: return "read";
    case Access::send: return "send to";
    case Access::receive: return "receive from";
    case Access::admin: return "administer";
    case Access::metrics: return "read metrics";
  }
  return "use";
}

bool allowed(const Principal& principal, Access access, std::string_view queue) {
  switch (access) {
    case Access::authenticated: return true;
    case Access::see_queue: return principal.sees(queue);
    case Access::send: return principal.allows(Scope::send, queue);
    case Access::receive: return principal.allows(Scope::receive, queue);
    case Access::admin: return principal.allows(Scope::admin, queue);
    case Access::metrics: return principal.allows(Scope::metrics, queue);
  }
  return false;
}

}  // namespace

Authorizer::Authorizer(TokenTable tokens) : tokens_(std::move(tokens)), enabled_(!tokens_.empty()) {}

Authorizer Authorizer::deny_all() { return Authorizer(TokenTable{}, true); }

const Principal* Authorizer::authenticate(const web::Request& request) const {
  if (!enabled_) return nullptr;
  std::optional<std::string_view> header = request.header("Authorization");
  if (!header) unauthorized("an Authorization: Bearer <token> header is required", false);
  std::optional<std::string_view> token = bearer_token(*header);
  if (!token) unauthorized("the Authorization header must be 'Bearer <token>'", true);
  const Principal* principal = tokens_.authenticate(*token);
  if (principal == nullptr) unauthorized("the bearer token is not valid", true);
  return principal;
}

bool Authorizer::allows(const Principal* principal, Access access, std::string_view queue) {
  return principal == nullptr || allowed(*principal, access, queue);
}

void Authorizer::authorize(const Principal* principal, Access access, std::string_view queue) {
  if (allows(principal, access, queue)) return;
  fail(contract::ErrorCode::forbidden,
       "token \"" + principal->name + "\" may not " + std::string(operation(access)) +
           (queue.empty() ? std::string() : " queue \"" + std::string(queue) + "\""));
}

bool Authorizer::may_list(const Principal* principal, std::string_view queue) {
  return principal == nullptr || principal->sees(queue);
}

}  // namespace queue::api
