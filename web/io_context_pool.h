// The server's worker threads: one io_context each (private to web/server.cpp).
//
// An io_context shared by several threads costs system calls per event: a thread
// that runs a handler while others are queued wakes a sleeping one (futex), which
// then polls epoll again. An io_context run by exactly one thread (concurrency hint
// 1) wakes nobody. Connections are spread over the contexts round robin and stay on
// theirs, so a connection's handlers never run concurrently, with no strand.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace web::detail {

class IoContextPool {
 public:
  using Executor = boost::asio::io_context::executor_type;

  explicit IoContextPool(std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    }
  }

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& at(std::size_t index) { return *contexts_[index]; }
  // The context for the next connection (any thread).
  Executor next() {
    return contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]->get_executor();
  }

  // Keeps every context's run() going while it has nothing to do, until release().
  void hold() {
    for (auto& context : contexts_) holds_.emplace_back(context->get_executor());
  }
  void release() { holds_.clear(); }

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<Executor>> holds_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace web::detail
