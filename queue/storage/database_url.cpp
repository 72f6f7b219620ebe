#include "queue/storage/database_url.h"

#include <stdexcept>

namespace queue::storage {

DatabaseLocation parse_database_url(std::string_view url) {
  constexpr std::string_view sqlite_scheme = "sqlite:";
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return DatabaseLocation{Engine::postgres, std::string(url)};
  }
  if (url.starts_with(sqlite_scheme)) {
    std::string_view rest = url.substr(sqlite_scheme.size());
    if (rest == ":memory:") return DatabaseLocation{Engine::sqlite, ":memory:"};
    // sqlite:///abs/path is the URL spelling of /abs/path (empty authority).
    if (rest.starts_with("///")) rest.remove_prefix(2);
    else if (rest.starts_with("//")) {
      throw std::runtime_error("database URL \"" + std::string(url) +
                               "\" names a host; SQLite needs a file: sqlite:./data/queue.db or sqlite:///abs/path");
    }
    if (!rest.empty()) return DatabaseLocation{Engine::sqlite, std::string(rest)};
  }
  throw std::runtime_error("unsupported database URL \"" + std::string(url) +
                           "\": use sqlite:relative/path, sqlite:/abs/path, sqlite:///abs/path, sqlite::memory: "
                           "or postgres://user:password@host:port/dbname");
}

}  // namespace queue::storage
