#include "queue/storage/open.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "queue/storage/database_url.h"
#include "queue/storage/log/log_store.h"
#include "queue/storage/postgres/postgres_store.h"
#include "queue/storage/sqlite/sqlite_store.h"

namespace queue::storage {
namespace {

void create_parent_directory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw std::runtime_error("cannot create directory " + parent.string() + " for the queue database: " +
                             error.message());
  }
}

}  // namespace

std::unique_ptr<core::Store> open_store(const StoreOptions& options) {
  DatabaseLocation location = parse_database_url(options.database_url);
  if (location.engine == Engine::postgres) {
    return std::make_unique<postgres::PostgresStore>(location.path, options.durability);
  }
  if (location.engine == Engine::log) {
    log::LogOptions log_options;
    if (location.segment_bytes != 0) log_options.segment_bytes = location.segment_bytes;
    return std::make_unique<log::LogStore>(location.path, options.durability, log_options);
  }
  if (location.path != ":memory:") create_parent_directory(location.path);
  return std::make_unique<sqlite::SqliteStore>(location.path, options.durability);
}

std::vector<std::unique_ptr<core::Store>> open_stores(const StoreOptions& options) {
  int count = resolve_pool_size(parse_database_url(options.database_url).engine, options.pool_size);
  std::vector<std::unique_ptr<core::Store>> stores;
  stores.reserve(static_cast<std::size_t>(count));
  // One after the other: each migrates under the advisory lock, so all but the first find nothing to do.
  for (int i = 0; i < count; ++i) stores.push_back(open_store(options));
  return stores;
}

int default_pool_size(Engine engine) { return engine == Engine::postgres ? 4 : 1; }

int resolve_pool_size(Engine engine, std::optional<int> requested) {
  int size = requested.value_or(default_pool_size(engine));
  if (size < 1 || size > max_pool_size) {
    throw std::runtime_error("the pool size must be in [1, " + std::to_string(max_pool_size) + "], got " +
                             std::to_string(size));
  }
  if (engine != Engine::postgres && size != 1) {
    throw std::runtime_error(std::string(engine == Engine::sqlite ? "SQLite runs on exactly one connection"
                                                                  : "The message log has exactly one writer") +
                             ": the pool size must be 1, got " + std::to_string(size));
  }
  return size;
}

Durability parse_durability(const std::string& text) {
  if (text == "fsync") return Durability::fsync;
  if (text == "os") return Durability::os;
  throw std::runtime_error("QUEUE_DURABILITY must be \"fsync\" or \"os\", got \"" + text + "\"");
}

}  // namespace queue::storage
