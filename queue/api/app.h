// Queue's entry points (ADR-0066). This header and queue/contract/ are all that
// code outside queue/ may include.
//
// Phase 1: Raptor's app factory mounts create_queue_blueprints() at /api/v1 when
// FLAG_QUEUE_V1 is on. Phase 4: create_app() serves the same blueprints on their
// own (queue/main.cpp, the `queue-server` binary) and Raptor's import goes away.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "queue/contract/client.h"
#include "web/app.h"
#include "web/blueprint.h"
#include "web/config.h"

namespace queue {

// Queue mounted in a process: its blueprints, to be registered under /api/v1
// (queue/contract/version.h), and a client of that very Queue for the code that
// shares the process (queue/in_process: no HTTP, no token; trusted code).
// Both are bound to one runtime: the client answers `unavailable` exactly when the
// blueprints answer 503, with the same retry_after, and stops with their on_shutdown.
struct QueueMount {
  std::vector<web::Blueprint> blueprints;
  // To be registered at the root of the process: GET /metrics (Prometheus), one scrape
  // per process wherever Queue's API is mounted (with the host's series, below).
  std::vector<web::Blueprint> root_blueprints;
  std::shared_ptr<contract::QueueClient> client;
};

// The host's own series for that one GET /metrics: appends them, in the Prometheus
// text format and under the host's own prefix, to `exposition`. Called on every
// scrape, from any thread; it must be quick and must not block. Queue's series stay
// in Queue's registry, so the day Queue moves out (Phase 4) it takes them along and
// the host serves its own.
using HostMetrics = std::function<void(std::string& exposition)>;

// Reads only QUEUE_* keys of `config`. Never throws for an unreachable storage:
// Queue then answers 503 with Retry-After and keeps trying to open it in the
// background. Nor for a malformed QUEUE_* value: that is logged and answered 503.
QueueMount mount_queue(const web::Config& config, HostMetrics host_metrics = {});

// mount_queue(config).blueprints, for a host that calls Queue only over HTTP (without
// the root blueprints).
std::vector<web::Blueprint> create_queue_blueprints(const web::Config& config);

// Standalone app: Queue's blueprints at /api/v1 and GET /metrics, nothing else. Throws
// std::invalid_argument naming the key when a QUEUE_* value is malformed.
std::unique_ptr<web::App> create_app(const web::Config& config);

}  // namespace queue
