#include "backend_v2/config/feature_flags.h"

namespace raptor::config {

FeatureFlags FeatureFlags::load(const web::Config& environment) {
  const web::Config flags = environment.scoped("FLAG_");
  FeatureFlags result;
  result.queue_v1 = flags.flag("FLAG_QUEUE_V1");
  return result;
}

}  // namespace raptor::config
