// Gathers log lines that may wait and writes them together, so that a busy server
// does not pay one write(2) per request for its access log.
//
// A line that may wait is kept until one of these comes first: a line that may not
// wait (it is written after them, so the order holds), `window` has passed since
// the oldest kept line, `max_bytes` are kept, flush(), or destruction. Lines are
// only ever written whole, so a reader of the stream never sees half a line.
//
// A thread of its own writes after `window`. It starts with the first kept line (a
// process that never batches has no such thread) and sleeps while nothing is kept,
// so an idle process is not woken. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace common::log {

class LineBatcher {
 public:
  // Receives one or more whole lines; called with the batcher's lock held, so writes never interleave.
  using Writer = std::function<void(std::string_view)>;

  LineBatcher(Writer writer, std::chrono::milliseconds window, std::size_t max_bytes);
  ~LineBatcher();  // writes what is kept
  LineBatcher(const LineBatcher&) = delete;
  LineBatcher& operator=(const LineBatcher&) = delete;

  // `line` includes its newline.
  void add(std::string_view line, bool may_wait);
  void flush();

 private:
  void write_kept_locked();
  void run();

  const Writer writer_;
  const std::chrono::milliseconds window_;
  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable kept_;
  std::string buffer_;
  bool stopping_ = false;
  std::thread thread_;  // started by the first kept line
};

}  // namespace common::log
