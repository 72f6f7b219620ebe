// Parsing QUEUE_DATABASE_URL into what an engine needs. Separate from open.cpp so
// the accepted forms are tested without opening anything.
#pragma once

#include <string>
#include <string_view>

namespace queue::storage {

enum class Engine { sqlite, postgres };

struct DatabaseLocation {
  Engine engine = Engine::sqlite;
  std::string path;  // sqlite: a file path or ":memory:"; postgres: the whole URL
};

// Throws std::runtime_error naming the accepted forms.
DatabaseLocation parse_database_url(std::string_view url);

}  // namespace queue::storage
