// Configuration: Flask's app.config, read once from the environment (Heroku config vars).
//
// Raptor and Queue share one process and so one environment. To keep them from
// reading each other's settings, a component gets a *namespaced* view:
// `config.scoped("QUEUE_")` holds only the QUEUE_* keys, and looking up any other
// key in it finds nothing. Queue is handed only that view.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace web {

// "1", "true", "yes", "on" (any case) are true; everything else, and absence, is false.
bool is_truthy(std::string_view value);

class Config {
 public:
  using Values = std::map<std::string, std::string, std::less<>>;

  Config() = default;
  explicit Config(Values values);

  static Config from_environment();

  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  bool flag(std::string_view key) const;
  // The key's value as an integer in [min, max]; fallback when absent.
  // Throws std::invalid_argument naming the key when present but malformed or out of range.
  std::int64_t get_int(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;

  // Only the keys that start with `prefix` (kept whole: QUEUE_DATABASE_URL stays QUEUE_DATABASE_URL).
  Config scoped(std::string_view prefix) const;

  void set(std::string key, std::string value);
  const Values& values() const { return values_; }

 private:
  Values values_;
};

}  // namespace web
