// GET /metrics when Queue is not mounted in this process (Queue remote, or off):
// Raptor's own series alone (raptor_metrics.h). With Queue mounted, Queue's GET
// /metrics serves them instead, beside Queue's, under Queue's access rules.
//
// Access: a bearer token equal to RAPTOR_METRICS_TOKEN when that is set; otherwise
// loopback peers only (a Prometheus sidecar, an operator's ssh tunnel), so a public
// Raptor never shows its series to the internet by default.
#pragma once

#include <memory>
#include <string>

#include "backend_v2/api/raptor_metrics.h"
#include "web/blueprint.h"

namespace raptor::api {

web::Blueprint create_metrics_blueprint(std::shared_ptr<const RaptorMetrics> metrics, std::string token);

}  // namespace raptor::api
