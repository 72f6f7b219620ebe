// Queue's settings: the QUEUE_* keys of the process environment, and only those.
//
// Queue shares its process with Raptor (ADR-0066), so it is handed the whole
// environment but reads it through config.scoped("QUEUE_"): DATABASE_URL, PORT and
// friends are Raptor's or the platform's, never Queue's.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "queue/api/auth.h"
#include "web/config.h"

namespace queue::api {

// The message log (queue/storage/log/log_store.h): embedded, nothing to install.
inline constexpr const char* default_database_url = "log:./data/queue";
// The default before the message log. An installation that has data there and no
// QUEUE_DATABASE_URL keeps using it (load_settings): changing the default must never
// make a user's waiting messages disappear from view.
inline constexpr const char* previous_default_database_url = "sqlite:./data/queue.db";

struct Settings {
  std::string database_url = default_database_url;  // QUEUE_DATABASE_URL
  // QUEUE_API_TOKENS, unparsed (`name:token:scopes;...`). Empty: Queue serves loopback only.
  std::string api_tokens;
  // The same, parsed (auth.h); empty when api_tokens is.
  TokenTable tokens;
  // QUEUE_DURABILITY: "fsync" (a 2xx survives power loss) or "os" (survives a crash of the process).
  std::string durability = "fsync";
  // Opening the storage at start is retried with exponential backoff between these bounds
  // (QUEUE_OPEN_RETRY_MIN_MS, QUEUE_OPEN_RETRY_MAX_MS), forever: Queue comes up whenever
  // its storage does, without a restart of the process it shares.
  std::chrono::milliseconds open_retry_min{200};
  std::chrono::milliseconds open_retry_max{30'000};
  // QUEUE_DB_POOL_SIZE: database connections, each with its own engine worker
  // (core/service.h, "A pool of engines"). Absent: the engine's default, 1 for
  // SQLite (which allows no other value), 4 for PostgreSQL.
  std::optional<int> db_pool_size;
  // No QUEUE_DATABASE_URL, and ./data/queue.db (the previous default) holds data: it
  // is used, and the runtime says so at start.
  bool kept_previous_default = false;
  // QUEUE_METRICS_MAX_QUEUES: GET /metrics shows per-queue series for at most this many
  // queues (the first by name), and a gauge of how many it left out, so a tenant with
  // 100,000 queues cannot blow up a scrape. 0..100000.
  std::size_t metrics_max_queues = 1'000;
};

// Throws std::invalid_argument naming the key when a value is malformed.
Settings load_settings(const web::Config& environment);

// The URL with any password replaced by "***", for logs.
std::string redacted_database_url(const std::string& url);

}  // namespace queue::api
