// Structured logging in logfmt (key=value pairs, one event a line) on stdout.
//
// Heroku's router and log drains read logfmt, so every process in this tree logs
// that way: `ts=... level=info msg=request method=GET path=/healthz status=200`.
// spdlog adds the timestamp and level; this file formats the rest of the line.
//
// Every line is written at once, except those logged with write_batched (the access
// log, one line per request): they wait up to 100 ms, or until 32 KiB wait, or until
// the next line that is written at once, and go out together, so a busy server does
// not make a write(2) per request. Warnings and errors never wait. Lines still come
// out whole and in order; at exit what waits is written, but a process killed
// (SIGKILL, a crash) may lose up to 100 ms of batched lines.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace common::log {

enum class Level { debug, info, warn, error };

struct Field {
  std::string_view key;
  std::string value;

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  template <typename Number>
    requires std::is_arithmetic_v<Number>
  Field(std::string_view k, Number n) : key(k), value(std::to_string(n)) {}
};

// Configures the process-wide sink once; safe to call again (later calls only change the level).
void init(Level level = Level::info);
void set_level(Level level);
Level parse_level(std::string_view name, Level fallback = Level::info);

void write(Level level, std::string_view msg, std::initializer_list<Field> fields);
inline void debug(std::string_view msg, std::initializer_list<Field> f = {}) { write(Level::debug, msg, f); }
inline void info(std::string_view msg, std::initializer_list<Field> f = {}) { write(Level::info, msg, f); }
inline void warn(std::string_view msg, std::initializer_list<Field> f = {}) { write(Level::warn, msg, f); }
inline void error(std::string_view msg, std::initializer_list<Field> f = {}) { write(Level::error, msg, f); }

// For high-volume lines whose lateness nobody minds (see above); warn and error are written at once anyway.
void write_batched(Level level, std::string_view msg, std::initializer_list<Field> fields);
// Writes the batched lines waiting now.
void flush();

// One logfmt line without timestamp or level: exposed for tests and for callers that build lines.
std::string format(std::string_view msg, std::initializer_list<Field> fields);

}  // namespace common::log
