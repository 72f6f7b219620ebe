// How Raptor reaches Queue, decided once by the app factory from Raptor's own keys:
//
//   RAPTOR_QUEUE_URL set            -> remote: Queue runs elsewhere (Phase 4); Raptor
//                                      calls it over HTTP and does NOT mount it.
//   else FLAG_QUEUE_V1 on           -> in_process: Raptor mounts Queue's blueprints at
//                                      /api/v1 and calls that Queue in process.
//   else                            -> off: no Queue; Raptor's Queue features answer 503.
//
// Either way Raptor's code sees one queue::contract::QueueClient and never knows which.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "backend_v2/config/feature_flags.h"
#include "backend_v2/config/settings.h"
#include "queue/contract/client.h"
#include "web/app.h"
#include "web/config.h"

namespace raptor::api {

enum class QueueMode { off, in_process, remote };

// "off", "in_process" or "remote", as GET /api/v1/raptor/version reports it.
std::string_view to_string(QueueMode mode);

struct QueueLink {
  QueueMode mode = QueueMode::off;
  std::shared_ptr<queue::contract::QueueClient> client;  // null when off
};

// Mounts Queue in `app` or connects to the remote one, as above; a mounted Queue
// serves GET /metrics with `host_metrics` (Raptor's series) beside its own. Throws
// std::invalid_argument naming RAPTOR_QUEUE_URL when that URL is malformed: it is
// Raptor's own setting, and a Raptor that cannot reach its Queue should not boot.
QueueLink link_queue(web::App& app, const web::Config& environment, const config::Settings& settings,
                     const config::FeatureFlags& flags, std::function<void(std::string&)> host_metrics);

}  // namespace raptor::api
