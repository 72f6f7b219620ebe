// Raptor's feature flags: FLAG_* config vars, truthy when "1", "true", "yes" or "on".
#pragma once

#include "web/config.h"

namespace raptor::config {

struct FeatureFlags {
  bool queue_v1 = false;  // FLAG_QUEUE_V1: mount Queue's blueprints at /api/v1 (ADR-0066, Phase 1)

  static FeatureFlags load(const web::Config& environment);
};

}  // namespace raptor::config
