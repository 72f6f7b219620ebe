// Raptor's own routes: GET /healthz (the platform's liveness check) and
// GET /api/v1/raptor/version.
#pragma once

#include "backend_v2/config/feature_flags.h"
#include "backend_v2/config/settings.h"
#include "web/blueprint.h"

namespace raptor::api {

web::Blueprint create_core_blueprint(const config::Settings& settings, const config::FeatureFlags& flags);

}  // namespace raptor::api
