#include "web/blueprint.h"

namespace web {

Blueprint::Blueprint(std::string name, std::string url_prefix)
    : name_(std::move(name)), url_prefix_(std::move(url_prefix)) {}

Blueprint& Blueprint::route(std::string method, std::string pattern, Handler handler) {
  // A synchronous handler is an asynchronous one that answers before returning; an
  // exception it throws reaches App::dispatch, which answers through the error handler.
  AsyncHandler async = [handler = std::move(handler)](Request& request, Responder responder) {
    responder.send(handler(request));
  };
  return route_async(std::move(method), std::move(pattern), std::move(async));
}

Blueprint& Blueprint::route_async(std::string method, std::string pattern, AsyncHandler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
  return *this;
}

Blueprint& Blueprint::before_request(BeforeRequestHook hook) {
  before_.push_back(std::move(hook));
  return *this;
}

Blueprint& Blueprint::after_request(AfterRequestHook hook) {
  after_.push_back(std::move(hook));
  return *this;
}

Blueprint& Blueprint::error_handler(ErrorHandler handler) {
  error_handler_ = std::move(handler);
  return *this;
}

Blueprint& Blueprint::before_serving(std::function<void(const ServingInfo&)> hook) {
  serving_.push_back(std::move(hook));
  return *this;
}

Blueprint& Blueprint::on_shutdown(std::function<void()> hook) {
  shutdown_.push_back(std::move(hook));
  return *this;
}

}  // namespace web
