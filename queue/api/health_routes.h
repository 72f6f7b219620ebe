// Queue's health blueprint "queue_health" (url_prefix "/queue"):
//   GET /queue/healthz  liveness: Queue's code answers (200 even while starting)
//   GET /queue/readyz   readiness: 200 once a round trip through the engine and the
//                       storage succeeds, else 503 with Retry-After
#pragma once

#include <memory>

#include "queue/api/runtime.h"
#include "web/blueprint.h"

namespace queue::api {

web::Blueprint create_health_blueprint(std::shared_ptr<const Runtime> runtime);

}  // namespace queue::api
