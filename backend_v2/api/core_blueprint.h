// Raptor's own routes: GET /healthz (the platform's liveness check) and
// GET /api/v1/raptor/version.
#pragma once

#include "backend_v2/api/queue_link.h"
#include "backend_v2/config/settings.h"
#include "web/blueprint.h"

namespace raptor::api {

// `queue_mode`: how this Raptor reaches Queue, reported by the version route.
web::Blueprint create_core_blueprint(const config::Settings& settings, QueueMode queue_mode);

}  // namespace raptor::api
