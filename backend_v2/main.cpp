// `raptor`: the monolith stand-in, serving Raptor (and Queue, with FLAG_QUEUE_V1) on
// $HOST:$PORT with WEB_CONCURRENCY worker threads. Heroku's root Procfile runs it.
#include <exception>

#include "backend_v2/api/app_factory.h"
#include "backend_v2/config/settings.h"
#include "common/log.h"
#include "web/config.h"
#include "web/server.h"

int main() {
  common::log::init();
  try {
    const web::Config environment = web::Config::from_environment();
    const raptor::config::Settings settings = raptor::config::Settings::load(environment);
    common::log::set_level(settings.log_level);

    auto app = raptor::api::create_app(environment);
    web::ServerOptions options;
    options.host = settings.host;
    options.port = settings.port;
    options.threads = settings.web_concurrency;
    options.drain_timeout = settings.drain_timeout;
    web::Server server(*app, options);
    return server.run_until_signal();
  } catch (const std::exception& error) {
    common::log::error("startup_failed", {{"app", "raptor"}, {"error", error.what()}});
    return 1;
  }
}
