#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace common::log {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> instance;
  std::call_once(once, [] {
    instance = spdlog::stdout_logger_mt("logfmt");
    // ts in RFC 3339 UTC with milliseconds; the rest of the line is ours.
    instance->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
    instance->flush_on(spdlog::level::info);
  });
  return instance;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) >= 0x7f) return true;
  }
  return false;
}

void append_value(std::string& out, std::string_view value) {
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';  // other control bytes would break the one-event-a-line rule
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

void init(Level level) { logger()->set_level(to_spdlog(level)); }

void set_level(Level level) { logger()->set_level(to_spdlog(level)); }

Level parse_level(std::string_view name, Level fallback) {
  if (name == "debug") return Level::debug;
  if (name == "info") return Level::info;
  if (name == "warn" || name == "warning") return Level::warn;
  if (name == "error") return Level::error;
  return fallback;
}

std::string format(std::string_view msg, std::initializer_list<Field> fields) {
  std::string line = "msg=";
  append_value(line, msg);
  for (const Field& field : fields) {
    line += ' ';
    line += field.key;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  auto& sink = *logger();
  if (!sink.should_log(to_spdlog(level))) return;
  sink.log(to_spdlog(level), format(msg, fields));
}

}  // namespace common::log
