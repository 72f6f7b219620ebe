// Where Queue agrees to be served. Without API tokens anyone who can reach the
// port could read and delete every message, so with auth off (QUEUE_API_TOKENS
// empty) Queue serves a loopback address only, says so at start, and refuses any
// other address.
#pragma once

#include <functional>

#include "web/blueprint.h"

namespace queue::api {

// A before_serving hook: throws std::runtime_error with an operator-facing message
// when auth is off and the server would listen on a non-loopback address.
std::function<void(const web::ServingInfo&)> refuse_public_without_tokens(bool auth_enabled);

}  // namespace queue::api
