#include "common/line_batcher.h"

namespace common::log {

LineBatcher::LineBatcher(Writer writer, std::chrono::milliseconds window, std::size_t max_bytes)
    : writer_(std::move(writer)), window_(window), max_bytes_(max_bytes) {}

LineBatcher::~LineBatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  kept_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  write_kept_locked();
}

void LineBatcher::add(std::string_view line, bool may_wait) {
  bool first_kept = false;
  {
    std::lock_guard lock(mutex_);
    first_kept = buffer_.empty();
    buffer_ += line;
    if (!may_wait || buffer_.size() >= max_bytes_) {
      write_kept_locked();
      return;
    }
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  // Only the first kept line starts the window: one wake-up per batch, not per line.
  if (first_kept) kept_.notify_one();
}

void LineBatcher::flush() {
  std::lock_guard lock(mutex_);
  write_kept_locked();
}

void LineBatcher::write_kept_locked() {
  if (buffer_.empty()) return;
  writer_(buffer_);
  buffer_.clear();
}

void LineBatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    kept_.wait(lock, [&] { return stopping_ || !buffer_.empty(); });
    // The window runs from the first kept line; a write meanwhile (an immediate line,
    // a full buffer) empties the buffer, and the next kept line starts a new window.
    const auto due = std::chrono::steady_clock::now() + window_;
    kept_.wait_until(lock, due, [&] { return stopping_ || buffer_.empty(); });
    write_kept_locked();
  }
}

}  // namespace common::log
