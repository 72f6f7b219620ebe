// `queue-server`: Queue on its own (ADR-0066, Phase 4), serving the same blueprints
// at the same /api/v1 paths as Raptor does. queue/Procfile runs it.
//
// Like any Heroku web process it binds $HOST:$PORT (default 127.0.0.1:5000) with
// WEB_CONCURRENCY worker threads; --host and --port override the environment.
// Queue's own settings are its QUEUE_* keys (README.md lists them).
#include <CLI/CLI.hpp>

#include <exception>

#include "common/log.h"
#include "queue/api/app.h"
#include "web/config.h"
#include "web/server.h"

int main(int argc, char** argv) {
  common::log::init();
  const web::Config environment = web::Config::from_environment();

  web::ServerOptions options;
  CLI::App cli{"Queue, a durable message queue service, standalone (same API as under Raptor)", "queue-server"};
  std::string host;
  int port = -1;
  cli.add_option("--host", host, "address to listen on (default: $HOST, else 127.0.0.1)");
  cli.add_option("--port", port, "port to listen on, 0 for any free one (default: $PORT, else 5000)")
      ->check(CLI::Range(0, 65535));
  CLI11_PARSE(cli, argc, argv);

  try {
    common::log::set_level(common::log::parse_level(environment.get_or("QUEUE_LOG_LEVEL", "info")));
    options = web::ServerOptions::from_platform(environment);
    if (!host.empty()) options.host = host;
    if (port >= 0) options.port = static_cast<unsigned short>(port);

    auto app = queue::create_app(environment);
    web::Server server(*app, options);
    return server.run_until_signal();
  } catch (const std::exception& error) {
    common::log::error("startup_failed", {{"app", "queue"}, {"error", error.what()}});
    return 1;
  }
}
