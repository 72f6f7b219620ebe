// The "client went away" signal between the server and an asynchronous handler
// (private to web/). The server fires it when the connection drops before the
// answer; the Responder completes it when the answer goes out. Whichever comes
// first decides: callbacks run once on cancel, never after completion.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

namespace web::detail {

class Cancellation {
 public:
  // Runs the callbacks registered so far (and any registered later at once), unless completed.
  void cancel();
  // The answer went out: drop the callbacks, ignore later cancels.
  void complete();
  bool cancelled() const;
  // Runs `callback` once on cancel; at once (on this thread) if already cancelled.
  void on_cancel(std::function<void()> callback);

 private:
  enum class State { pending, cancelled, completed };
  mutable std::mutex mutex_;
  State state_ = State::pending;
  std::vector<std::function<void()>> callbacks_;
};

}  // namespace web::detail
