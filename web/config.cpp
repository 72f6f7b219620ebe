#include "web/config.h"

#include <charconv>
#include <stdexcept>

#include "web/text.h"

extern char** environ;

namespace web {

bool is_truthy(std::string_view value) {
  for (std::string_view yes : {"1", "true", "yes", "on"}) {
    if (text::iequals(value, yes)) return true;
  }
  return false;
}

Config::Config(Values values) : values_(std::move(values)) {}

Config Config::from_environment() {
  Values values;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view pair(*entry);
    auto equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    values.emplace(std::string(pair.substr(0, equals)), std::string(pair.substr(equals + 1)));
  }
  return Config(std::move(values));
}

std::optional<std::string> Config::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::get_or(std::string_view key, std::string_view fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string(fallback) : it->second;
}

bool Config::flag(std::string_view key) const {
  auto it = values_.find(key);
  return it != values_.end() && is_truthy(it->second);
}

std::int64_t Config::get_int(std::string_view key, std::int64_t fallback, std::int64_t min,
                             std::int64_t max) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  bool whole = ec == std::errc() && end == text.data() + text.size() && !text.empty();
  if (!whole || value < min || value > max) {
    throw std::invalid_argument("config " + std::string(key) + "='" + text + "': expected an integer in [" +
                                std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return value;
}

Config Config::scoped(std::string_view prefix) const {
  Values scoped_values;
  for (const auto& [key, value] : values_) {
    if (std::string_view(key).starts_with(prefix)) scoped_values.emplace(key, value);
  }
  return Config(std::move(scoped_values));
}

void Config::set(std::string key, std::string value) { values_.insert_or_assign(std::move(key), std::move(value)); }

}  // namespace web
