// The handle an asynchronous handler answers through, later and from any thread.
//
// A request that waits (a long poll, a write waiting for its group commit) keeps
// only a Responder, never a worker thread. The first send wins; later ones are
// ignored. Dropping every copy without sending answers 500, so a lost callback
// can never leave a client hanging forever.
//
// A Responder refers to its App's blueprints: answer or drop every parked one
// before the App is destroyed (an on_shutdown hook is the place). An on_cancel
// callback may hold a copy of the Responder; it is released once the request is
// answered or cancelled.
#pragma once

#include <functional>
#include <memory>

#include "web/error.h"
#include "web/response.h"

namespace web {

namespace detail {
struct ResponderState;
}

class Responder {
 public:
  explicit Responder(std::shared_ptr<detail::ResponderState> state);

  // Sends the response: the owning blueprint's after_request hooks run, then it is written.
  void send(Response response) const;
  // Sends the error through the owning blueprint's error handler.
  void send_error(Error error) const;

  // True once the client has gone away (or the response was already sent).
  bool cancelled() const;
  // Runs `callback` once when the client goes away before the response was sent
  // (runs at once if it already has). It may run on any thread.
  void on_cancel(std::function<void()> callback) const;

 private:
  std::shared_ptr<detail::ResponderState> state_;
};

}  // namespace web
