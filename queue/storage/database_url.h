// Parsing QUEUE_DATABASE_URL into what an engine needs. Separate from open.cpp so
// the accepted forms are tested without opening anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace queue::storage {

enum class Engine { sqlite, postgres, log };

struct DatabaseLocation {
  Engine engine = Engine::sqlite;
  std::string path;  // sqlite: a file path or ":memory:"; postgres: the whole URL; log: a directory
  std::uint64_t segment_bytes = 0;  // log: ?segment_mib=N; 0: the engine's default
};

// Throws std::runtime_error naming the accepted forms.
DatabaseLocation parse_database_url(std::string_view url);

}  // namespace queue::storage
