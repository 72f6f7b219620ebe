#include "web/responder.h"

#include "common/log.h"
#include "web/cancellation.h"
#include "web/json.h"
#include "web/responder_state.h"

namespace web {
namespace detail {
namespace {

const Error kInternalError{500, codes::internal_error, "internal server error", {}};

std::string_view blueprint_name(const RequestScope& scope) {
  return scope.owner != nullptr ? std::string_view(scope.owner->name()) : std::string_view();
}

// Failures of a blueprint's code are logged with what identifies the request, never its body.
void log_failure(std::string_view event, const RequestScope& scope, std::string_view what) {
  common::log::error(event, {{"request_id", scope.request->request_id()},
                             {"blueprint", blueprint_name(scope)},
                             {"method", scope.request->method()},
                             {"path", scope.request->path()},
                             {"error", what}});
}

std::string describe(std::exception_ptr exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

Response plain_internal_error(const RequestScope& scope) {
  return json_error(kInternalError, scope.request->request_id());
}

}  // namespace

Response format_error(const RequestScope& scope, const Error& error) {
  const ErrorHandler* handler = scope.app_error_handler;
  if (scope.owner != nullptr && scope.owner->error_handler()) handler = &scope.owner->error_handler();
  Response response;
  try {
    response = (handler != nullptr && *handler) ? (*handler)(*scope.request, error)
                                                : json_error(error, scope.request->request_id());
  } catch (...) {
    log_failure("error_handler_failed", scope, describe(std::current_exception()));
    return plain_internal_error(scope);
  }
  // Headers the error needs to be correct HTTP (Allow on a 405) survive any handler.
  for (const auto& [name, value] : error.headers) {
    if (!response.header(name)) response.set_header(name, value);
  }
  return response;
}

Response finalize(const RequestScope& scope, Response response) {
  if (scope.owner != nullptr) {
    for (const AfterRequestHook& hook : scope.owner->after_request_hooks()) {
      try {
        hook(*scope.request, response);
      } catch (...) {
        log_failure("after_request_failed", scope, describe(std::current_exception()));
        response = plain_internal_error(scope);
        break;
      }
    }
  }
  response.set_header("X-Request-ID", scope.request->request_id());
  return response;
}

Error error_from_exception(std::exception_ptr exception, const RequestScope& scope) {
  try {
    std::rethrow_exception(exception);
  } catch (const HttpError& e) {
    return e.error();
  } catch (...) {
    log_failure("handler_failed", scope, describe(std::current_exception()));
    return kInternalError;
  }
}

ResponderState::ResponderState(std::shared_ptr<Request> request_in, const Blueprint* owner,
                               const ErrorHandler* app_error_handler, std::function<void(Response)> write)
    : request(std::move(request_in)),
      scope{request.get(), owner, app_error_handler},
      write_(std::move(write)) {}

ResponderState::~ResponderState() {
  if (answered()) return;
  try {
    log_failure("request_not_answered", scope, "every Responder was dropped without sending");
    send_error(kInternalError);
  } catch (...) {
    // A destructor must not throw; the write callback failing leaves nothing more to do.
  }
}

bool ResponderState::claim() {
  if (answered_.exchange(true, std::memory_order_acq_rel)) return false;
  cancellation().complete();
  return true;
}

bool ResponderState::send(Response response) {
  if (!claim()) return false;
  write_(finalize(scope, std::move(response)));
  return true;
}

bool ResponderState::send_error(const Error& error) {
  if (!claim()) return false;
  write_(finalize(scope, format_error(scope, error)));
  return true;
}

}  // namespace detail

Responder::Responder(std::shared_ptr<detail::ResponderState> state) : state_(std::move(state)) {}

void Responder::send(Response response) const { state_->send(std::move(response)); }

void Responder::send_error(Error error) const { state_->send_error(error); }

bool Responder::cancelled() const { return state_->answered() || state_->cancellation().cancelled(); }

void Responder::on_cancel(std::function<void()> callback) const {
  state_->cancellation().on_cancel(std::move(callback));
}

}  // namespace web
