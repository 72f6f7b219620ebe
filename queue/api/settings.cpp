#include "queue/api/settings.h"

#include <filesystem>
#include <stdexcept>

#include "queue/storage/database_url.h"
#include "queue/storage/open.h"

namespace queue::api {
namespace {

std::optional<int> load_pool_size(const web::Config& config, const std::string& database_url) {
  if (!config.get("QUEUE_DB_POOL_SIZE")) return std::nullopt;
  int size = static_cast<int>(config.get_int("QUEUE_DB_POOL_SIZE", 1, 1, storage::max_pool_size));
  storage::Engine engine{};
  try {
    engine = storage::parse_database_url(database_url).engine;
  } catch (const std::exception&) {
    return size;  // the URL's own error is reported when the storage is opened
  }
  try {
    storage::resolve_pool_size(engine, size);
  } catch (const std::exception& error) {
    throw std::invalid_argument(std::string("QUEUE_DB_POOL_SIZE: ") + error.what());
  }
  return size;
}

}  // namespace

Settings load_settings(const web::Config& environment) {
  const web::Config config = environment.scoped("QUEUE_");
  Settings settings;
  settings.database_url = config.get_or("QUEUE_DATABASE_URL", default_database_url);
  if (!config.get("QUEUE_DATABASE_URL") && std::filesystem::exists("./data/queue.db") &&
      !std::filesystem::exists("./data/queue")) {
    settings.database_url = previous_default_database_url;
    settings.kept_previous_default = true;
  }
  if (settings.database_url.empty()) throw std::invalid_argument("QUEUE_DATABASE_URL: must not be empty");
  settings.api_tokens = config.get_or("QUEUE_API_TOKENS", "");
  // Throws naming the bad entry (never its token): a typo must not turn auth off.
  settings.tokens = TokenTable::parse(settings.api_tokens);
  settings.durability = config.get_or("QUEUE_DURABILITY", settings.durability);
  try {
    storage::parse_durability(settings.durability);
  } catch (const std::exception& error) {
    throw std::invalid_argument(std::string("QUEUE_DURABILITY: ") + error.what());
  }
  settings.open_retry_min = std::chrono::milliseconds(config.get_int("QUEUE_OPEN_RETRY_MIN_MS", 200, 1, 60'000));
  settings.open_retry_max =
      std::chrono::milliseconds(config.get_int("QUEUE_OPEN_RETRY_MAX_MS", 30'000, 1, 600'000));
  if (settings.open_retry_max < settings.open_retry_min) {
    throw std::invalid_argument("QUEUE_OPEN_RETRY_MAX_MS: must not be below QUEUE_OPEN_RETRY_MIN_MS");
  }
  settings.db_pool_size = load_pool_size(config, settings.database_url);
  settings.metrics_max_queues = static_cast<std::size_t>(
      config.get_int("QUEUE_METRICS_MAX_QUEUES", static_cast<std::int64_t>(settings.metrics_max_queues), 0, 100'000));
  return settings;
}

std::string redacted_database_url(const std::string& url) {
  // scheme://user:password@host/...: the password sits between the first ':' after
  // "://" and the last '@' before the path.
  std::size_t authority = url.find("://");
  if (authority == std::string::npos) return url;
  authority += 3;
  std::size_t at = url.rfind('@', url.find('/', authority));
  if (at == std::string::npos || at < authority) return url;
  std::size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace queue::api
