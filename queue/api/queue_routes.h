// Queue's main blueprint "queues" (url_prefix "/queues"), mounted at /api/v1: every
// route of API v1 (admin_routes.h and message_routes.h list them with the access
// each needs). Until the service is ready they answer 503 (readiness.h); then each
// checks the caller's token (authorization.h) before it runs.
#pragma once

#include <memory>

#include "queue/api/authorization.h"
#include "queue/api/runtime.h"
#include "web/blueprint.h"

namespace queue::api {

web::Blueprint create_queues_blueprint(std::shared_ptr<Runtime> runtime, std::shared_ptr<const Authorizer> authorizer);

}  // namespace queue::api
