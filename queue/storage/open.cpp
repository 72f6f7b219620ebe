#include "queue/storage/open.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "queue/storage/database_url.h"
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
  if (location.path != ":memory:") create_parent_directory(location.path);
  return std::make_unique<sqlite::SqliteStore>(location.path, options.durability);
}

Durability parse_durability(const std::string& text) {
  if (text == "fsync") return Durability::fsync;
  if (text == "os") return Durability::os;
  throw std::runtime_error("QUEUE_DURABILITY must be \"fsync\" or \"os\", got \"" + text + "\"");
}

}  // namespace queue::storage
