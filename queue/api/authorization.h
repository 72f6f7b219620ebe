// Who may call which of Queue's routes: QUEUE_API_TOKENS (auth.h) applied to HTTP.
//
//   missing, malformed or unknown bearer token  -> 401 unauthorized, WWW-Authenticate: Bearer
//   known token without the scope for the queue -> 403 forbidden
//
// Each route states the Access it needs when it is added (route_table.h), and the
// check runs before its handler with the route's {queue}; there is no way to add a
// Queue route that skips it. With no tokens configured, auth is off: the serving
// guard (serving_guard.h) then keeps Queue on a loopback address. Tokens are never
// logged or echoed; errors name the principal only.
#pragma once

#include <string_view>

#include "queue/api/auth.h"
#include "web/request.h"

namespace queue::api {

// What a route needs from the caller's token.
enum class Access {
  authenticated,  // any known token: GET /queues (which lists only what the token sees)
  see_queue,      // any grant covering the queue: GET /queues/{q}
  send,           // POST /queues/{q}/messages
  receive,        // receive, ack, visibility
  admin,          // PUT and DELETE /queues/{q}, purge, redrive, peek
  metrics,        // GET /metrics (scope `metrics` or `admin`)
};

class Authorizer {
 public:
  // Auth is on when `tokens` holds an entry; off (every call allowed) when it is empty.
  explicit Authorizer(TokenTable tokens);
  // Auth on and no token valid: for a Queue whose QUEUE_API_TOKENS cannot be parsed,
  // which must fail closed, never open.
  static Authorizer deny_all();

  bool enabled() const { return enabled_; }

  // The caller; null when auth is off. Throws a 401 HttpError for a missing or unknown token.
  const Principal* authenticate(const web::Request& request) const;
  // Throws a 403 HttpError unless `principal` may do `access` on `queue`. A null
  // principal (auth off) may do anything.
  static void authorize(const Principal* principal, Access access, std::string_view queue);
  // Whether authorize() would let `principal` do `access` on `queue` (GET /queue/whoami).
  static bool allows(const Principal* principal, Access access, std::string_view queue);
  // Whether the caller sees `queue` in GET /queues.
  static bool may_list(const Principal* principal, std::string_view queue);

 private:
  Authorizer(TokenTable tokens, bool enabled) : tokens_(std::move(tokens)), enabled_(enabled) {}

  TokenTable tokens_;
  bool enabled_;
};

}  // namespace queue::api
