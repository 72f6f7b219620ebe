#include "backend_v2/config/settings.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "web/server.h"

namespace raptor::config {
namespace {

constexpr std::array<std::string_view, 5> platform_keys = {"PORT", "HOST", "WEB_CONCURRENCY", "DATABASE_URL",
                                                           "LOG_LEVEL"};
constexpr std::array<std::string_view, 2> raptor_prefixes = {"RAPTOR_", "FLAG_"};

bool is_raptor_key(std::string_view key) {
  return std::ranges::find(platform_keys, key) != platform_keys.end() ||
         std::ranges::any_of(raptor_prefixes, [&](std::string_view prefix) { return key.starts_with(prefix); });
}

}  // namespace

web::Config raptor_view(const web::Config& environment) {
  web::Config view;
  for (const auto& [key, value] : environment.values()) {
    if (is_raptor_key(key)) view.set(key, value);
  }
  return view;
}

Settings Settings::load(const web::Config& environment) {
  const web::Config config = raptor_view(environment);
  Settings settings;
  const web::ServerOptions platform = web::ServerOptions::from_platform(config);
  settings.host = platform.host;
  settings.port = platform.port;
  settings.web_concurrency = platform.threads;
  settings.database_url = config.get_or("DATABASE_URL", "");
  settings.log_level = common::log::parse_level(config.get_or("LOG_LEVEL", "info"));
  settings.environment = config.get_or("RAPTOR_ENV", settings.environment);
  settings.drain_timeout = std::chrono::seconds(config.get_int("RAPTOR_DRAIN_TIMEOUT_S", 25, 0, 300));
  settings.queue_url = config.get_or("RAPTOR_QUEUE_URL", "");
  settings.queue_token = config.get_or("RAPTOR_QUEUE_TOKEN", "");
  settings.metrics_token = config.get_or("RAPTOR_METRICS_TOKEN", "");
  return settings;
}

}  // namespace raptor::config
