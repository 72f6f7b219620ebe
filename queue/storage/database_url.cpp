#include "queue/storage/database_url.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace queue::storage {

namespace {

// log:PATH[?segment_mib=N]
DatabaseLocation parse_log_url(std::string_view url, std::string_view rest) {
  DatabaseLocation location{Engine::log, {}};
  if (auto query = rest.find('?'); query != std::string_view::npos) {
    std::string_view parameter = rest.substr(query + 1);
    rest = rest.substr(0, query);
    constexpr std::string_view key = "segment_mib=";
    std::uint64_t mib = 0;
    auto value = parameter.substr(std::min(key.size(), parameter.size()));
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), mib);
    if (!parameter.starts_with(key) || error != std::errc() || end != value.data() + value.size() || mib < 2 ||
        mib > 2048) {
      throw std::runtime_error("database URL \"" + std::string(url) +
                               "\": the only log parameter is segment_mib, a whole number of MiB from 2 to 2048");
    }
    location.segment_bytes = mib << 20;
  }
  if (rest.starts_with("///")) rest.remove_prefix(2);
  if (rest.empty() || rest.starts_with("//")) {
    throw std::runtime_error("database URL \"" + std::string(url) +
                             "\" needs a directory: log:./data/queue or log:///abs/path");
  }
  location.path = std::string(rest);
  return location;
}

}  // namespace

DatabaseLocation parse_database_url(std::string_view url) {
  constexpr std::string_view sqlite_scheme = "sqlite:";
  constexpr std::string_view log_scheme = "log:";
  if (url.starts_with(log_scheme)) return parse_log_url(url, url.substr(log_scheme.size()));
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
                           "\": use log:relative/dir, log:/abs/dir, sqlite:relative/path, sqlite:/abs/path, sqlite:///abs/path, sqlite::memory: "
                           "or postgres://user:password@host:port/dbname");
}

}  // namespace queue::storage
