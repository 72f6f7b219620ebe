// Raptor's settings, from the process environment (Heroku config vars).
//
// Raptor reads the platform's keys (PORT, HOST, WEB_CONCURRENCY, DATABASE_URL,
// LOG_LEVEL) and its own RAPTOR_* keys, and nothing else: Queue shares the process
// and its environment, and its QUEUE_* keys are Queue's business (ADR-0066).
#pragma once

#include <chrono>
#include <string>

#include "common/log.h"
#include "web/config.h"

namespace raptor::config {

struct Settings {
  std::string host = "127.0.0.1";
  unsigned short port = 5000;
  unsigned web_concurrency = 1;             // worker threads shared by Raptor and Queue
  std::string database_url;                 // Raptor's own database; never Queue's
  common::log::Level log_level = common::log::Level::info;
  std::string environment = "development";  // RAPTOR_ENV
  std::chrono::seconds drain_timeout{25};   // RAPTOR_DRAIN_TIMEOUT_S: Heroku kills 30 s after SIGTERM
  // RAPTOR_QUEUE_URL: Queue runs elsewhere (Phase 4), at this http(s) URL; Raptor then
  // does not mount it and calls it over HTTP. Empty: in process, if FLAG_QUEUE_V1.
  std::string queue_url;
  // RAPTOR_QUEUE_TOKEN: Raptor's bearer token for that Queue (one of its
  // QUEUE_API_TOKENS). A secret: never logged, never shown.
  std::string queue_token;
  // RAPTOR_METRICS_TOKEN: the bearer token GET /metrics asks for when Raptor serves it
  // itself (Queue not mounted here). Empty: loopback clients only. A secret.
  std::string metrics_token;

  // Throws std::invalid_argument naming the key when a value is malformed.
  static Settings load(const web::Config& environment);
};

// The part of the environment Raptor may read: platform keys, RAPTOR_* and FLAG_*.
web::Config raptor_view(const web::Config& environment);

}  // namespace raptor::config
