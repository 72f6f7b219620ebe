// How a request is finished once routed (private to web/): errors formatted by the
// blueprint owning the path, after hooks, X-Request-ID, and the one-shot write.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>

#include "web/blueprint.h"
#include "web/cancellation.h"
#include "web/error.h"
#include "web/request.h"
#include "web/response.h"

namespace web::detail {

// Who answers for a request: the blueprint owning its path (null: the app).
struct RequestScope {
  const Request* request = nullptr;
  const Blueprint* owner = nullptr;
  const ErrorHandler* app_error_handler = nullptr;
};

// The owner's error handler's response, else the app's. A handler that throws gets
// a plain JSON 500 instead: error formatting must never take the process down.
Response format_error(const RequestScope& scope, const Error& error);
// Runs the owner's after hooks (a throwing hook turns the response into a plain
// JSON 500) and stamps X-Request-ID.
Response finalize(const RequestScope& scope, Response response);
// The error to answer with for an exception that escaped a handler or hook. Anything
// but an HttpError is logged with the request id and becomes a generic 500.
Error error_from_exception(std::exception_ptr exception, const RequestScope& scope);

struct ResponderState {
  ResponderState(std::shared_ptr<Request> request, const Blueprint* owner, const ErrorHandler* app_error_handler,
                 std::function<void(Response)> write);
  // Not answered by then: answers 500, so a lost Responder cannot leave a client hanging.
  ~ResponderState();
  ResponderState(const ResponderState&) = delete;
  ResponderState& operator=(const ResponderState&) = delete;

  // Each returns false, doing nothing, when the request was already answered.
  bool send(Response response);
  bool send_error(const Error& error);

  bool answered() const { return answered_.load(std::memory_order_acquire); }
  Cancellation& cancellation() const { return *request->cancellation_; }

  const std::shared_ptr<Request> request;  // kept alive for the after hooks and error handlers
  const RequestScope scope;

 private:
  bool claim();

  std::function<void(Response)> write_;
  std::atomic<bool> answered_{false};
};

}  // namespace web::detail
