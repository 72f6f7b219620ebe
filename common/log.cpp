#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "common/line_batcher.h"

namespace common::log {
namespace {

// Access lines wait at most this long (a tail -f sees them a moment late) and this much.
constexpr std::chrono::milliseconds kBatchWindow{100};
constexpr std::size_t kBatchBytes = 32 * 1024;

// Formats spdlog's messages and hands them to the batcher; a message may wait when
// it came through the batched logger below warn (warnings and errors never wait).
class StdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  static constexpr std::string_view kBatchedLogger = "logfmt_batched";

 private:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const bool may_wait = msg.logger_name == kBatchedLogger && msg.level < spdlog::level::warn;
    batcher_.add(std::string_view(formatted.data(), formatted.size()), may_wait);
  }
  void flush_() override { batcher_.flush(); }

  // Through stdio, as spdlog's own stdout sink did, so lines keep their place among
  // anything else the process prints there.
  LineBatcher batcher_{[](std::string_view lines) {
                         std::fwrite(lines.data(), 1, lines.size(), stdout);
                         std::fflush(stdout);
                       },
                       kBatchWindow, kBatchBytes};
};

struct Loggers {
  std::shared_ptr<spdlog::logger> immediate;
  std::shared_ptr<spdlog::logger> batched;
};

const Loggers& loggers() {
  // Never destroyed: a thread may still log while the process exits (static
  // destructors run), and a destroyed batcher would then start its thread inside a
  // dead object, which ends the process with std::terminate. What is still kept at
  // exit is written by the atexit handler instead.
  static const Loggers* const instance = [] {
    auto* created = new Loggers;
    auto sink = std::make_shared<StdoutSink>();
    // ts in RFC 3339 UTC with milliseconds; the rest of the line is ours.
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v",
                                                                     spdlog::pattern_time_type::utc));
    created->immediate = std::make_shared<spdlog::logger>("logfmt", sink);
    created->batched = std::make_shared<spdlog::logger>(std::string(StdoutSink::kBatchedLogger), sink);
    std::atexit([] { loggers().batched->flush(); });
    return created;
  }();
  return *instance;
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

void write_to(spdlog::logger& logger, Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!logger.should_log(to_spdlog(level))) return;
  logger.log(to_spdlog(level), format(msg, fields));
}

}  // namespace

void init(Level level) { set_level(level); }

void set_level(Level level) {
  loggers().immediate->set_level(to_spdlog(level));
  loggers().batched->set_level(to_spdlog(level));
}

void flush() { loggers().immediate->flush(); }

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
  write_to(*loggers().immediate, level, msg, fields);
}

void write_batched(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  write_to(*loggers().batched, level, msg, fields);
}

}  // namespace common::log
