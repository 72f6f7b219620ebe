#include "web/cancellation.h"

#include <memory>

#include "common/log.h"

namespace web::detail {
namespace {

// A callback is the handler's code: one that throws must not stop the others or the server.
void run_guarded(const std::function<void()>& callback) {
  try {
    callback();
  } catch (const std::exception& e) {
    common::log::error("on_cancel_failed", {{"error", e.what()}});
  } catch (...) {
    common::log::error("on_cancel_failed", {{"error", "unknown exception"}});
  }
}

}  // namespace

std::shared_ptr<Cancellation> make_cancellation() { return std::make_shared<Cancellation>(); }

void Cancellation::cancel() {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::pending) return;
    state_ = State::cancelled;
    to_run.swap(callbacks_);
  }
  // Outside the lock: a callback may well send on the Responder, which completes us.
  for (const auto& callback : to_run) run_guarded(callback);
}

void Cancellation::complete() {
  std::vector<std::function<void()>> dropped;
  std::lock_guard lock(mutex_);
  if (state_ == State::pending) state_ = State::completed;
  dropped.swap(callbacks_);
}

bool Cancellation::cancelled() const {
  std::lock_guard lock(mutex_);
  return state_ == State::cancelled;
}

void Cancellation::on_cancel(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::completed) return;
    if (state_ == State::pending) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  run_guarded(callback);
}

}  // namespace web::detail
