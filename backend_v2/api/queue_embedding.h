// Queue inside Raptor's process, or not, chosen when Raptor is linked: exactly one of
// queue_embedded.cpp (links queue_api: `raptor`) and queue_not_embedded.cpp (links no
// Queue implementation: `raptor-remote-only`, Phase 4 in one CMake option) defines this.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "queue/contract/client.h"
#include "web/app.h"
#include "web/config.h"

namespace raptor::api {

// Mounts Queue's blueprints in `app` at /api/v1, and its GET /metrics at the root
// serving `host_metrics` (Raptor's series) too, and returns the in-process client of
// that Queue; or, in a build without Queue, mounts nothing and returns null.
std::shared_ptr<queue::contract::QueueClient> embed_queue(web::App& app, const web::Config& environment,
                                                          std::function<void(std::string&)> host_metrics);

}  // namespace raptor::api
