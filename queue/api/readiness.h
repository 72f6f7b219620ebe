// Queue answers 503 with Retry-After on every route until its storage is open
// (see Runtime), instead of failing the process it shares with Raptor.
#pragma once

#include <memory>

#include "queue/api/runtime.h"
#include "web/blueprint.h"
#include "web/error.h"

namespace queue::api {

// 503 unavailable, with a message saying why (without internals) and Retry-After.
web::Error not_ready_error(const Runtime& runtime);

// A before_request hook for every blueprint whose routes need the service.
web::BeforeRequestHook require_ready(std::shared_ptr<const Runtime> runtime);

}  // namespace queue::api
