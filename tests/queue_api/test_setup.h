// How the tests run Queue behind a real web::Server: the QUEUE_* settings and the
// server's options, in one place for every suite that serves Queue (queue_api's
// ApiServer, the client conformance suite's transports).
#pragma once

#include <chrono>
#include <string>

#include "web/config.h"
#include "web/server.h"

namespace queue_api_test {

// Queue on `database_url`, opened quickly and without power-loss durability: tests
// need neither, and fsync would make them slow and flaky under load.
inline web::Config queue_test_config(const std::string& database_url) {
  web::Config config;
  config.set("QUEUE_DATABASE_URL", database_url);
  config.set("QUEUE_DURABILITY", "os");
  config.set("QUEUE_OPEN_RETRY_MIN_MS", "20");
  config.set("QUEUE_OPEN_RETRY_MAX_MS", "200");
  return config;
}

// An ephemeral loopback port, two worker threads, a short drain.
inline web::ServerOptions loopback_test_server() {
  web::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.drain_timeout = std::chrono::seconds(5);
  return options;
}

}  // namespace queue_api_test
