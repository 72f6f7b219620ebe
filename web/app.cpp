#include "web/app.h"

#include "common/log.h"
#include "web/json.h"
#include "web/request_id.h"
#include "web/responder_state.h"
#include "web/router.h"

namespace web {
namespace {

Response default_error_handler(const Request& request, const Error& error) {
  return json_error(error, request.request_id());
}

}  // namespace

App::App(std::string name, Config config)
    : name_(std::move(name)),
      config_(std::move(config)),
      router_(std::make_unique<Router>()),
      error_handler_(default_error_handler) {}

App::~App() = default;

void App::register_blueprint(Blueprint blueprint, std::string_view url_prefix) {
  router_->mount(blueprints_.size(), blueprint, url_prefix);
  blueprints_.push_back(std::move(blueprint));
}

void App::error_handler(ErrorHandler handler) {
  error_handler_ = handler ? std::move(handler) : ErrorHandler(default_error_handler);
}

void App::dispatch(std::shared_ptr<Request> request, std::function<void(Response)> write) const {
  if (request->request_id().empty()) request->set_request_id(detail::request_id_for(request->header("X-Request-ID")));

  Router::Match match = router_->match(request->method(), request->segments());
  // The route's own blueprint answers for it; otherwise the longest prefix owns the path,
  // and a 405 on an exact route of a blueprint mounted at "" is still that blueprint's.
  std::optional<std::size_t> owner;
  if (match.kind == Router::Match::Kind::found) {
    owner = match.blueprint;
  } else {
    owner = router_->owner(request->segments());
    if (!owner && match.kind == Router::Match::Kind::method_not_allowed) owner = match.blueprint;
  }
  const Blueprint* blueprint = owner ? &blueprints_[*owner] : nullptr;
  request->set_blueprint(blueprint != nullptr ? blueprint->name() : std::string());

  auto state = std::make_shared<detail::ResponderState>(request, blueprint, &error_handler_, std::move(write));
  switch (match.kind) {
    case Router::Match::Kind::not_found:
      state->send_error(Error{404, codes::not_found, "no route matches " + request->path(), {}});
      return;
    case Router::Match::Kind::method_not_allowed:
      state->send_error(Error{405, codes::method_not_allowed, request->method() + " is not allowed on this path",
                              {{"Allow", match.allow}}});
      return;
    case Router::Match::Kind::found:
      break;
  }

  request->set_params(std::move(match.params));
  request->set_route(std::move(match.pattern));
  try {
    for (const BeforeRequestHook& hook : blueprint->before_request_hooks()) {
      if (std::optional<Response> early = hook(*request)) {
        state->send(std::move(*early));
        return;
      }
    }
    blueprint->routes()[match.route].handler(*request, Responder(state));
  } catch (...) {
    // After a send, first-send-wins drops this; before it, the client gets the error.
    state->send_error(detail::error_from_exception(std::current_exception(), state->scope));
  }
}

Response App::error_response(const Request& request, const Error& error) const {
  std::optional<std::size_t> owner = router_->owner(request.segments());
  detail::RequestScope scope{&request, owner ? &blueprints_[*owner] : nullptr, &error_handler_};
  return detail::finalize(scope, detail::format_error(scope, error));
}

void App::before_serving(const ServingInfo& info) const {
  for (const Blueprint& blueprint : blueprints_) {
    for (const auto& hook : blueprint.before_serving_hooks()) hook(info);
  }
}

void App::shutdown() const {
  if (shut_down_.exchange(true)) return;
  for (const Blueprint& blueprint : blueprints_) {
    for (const auto& hook : blueprint.shutdown_hooks()) {
      try {
        hook();
      } catch (const std::exception& e) {
        common::log::error("shutdown_hook_failed", {{"blueprint", blueprint.name()}, {"error", e.what()}});
      } catch (...) {
        common::log::error("shutdown_hook_failed", {{"blueprint", blueprint.name()}, {"error", "unknown exception"}});
      }
    }
  }
}

std::vector<std::string> App::route_list() const { return router_->route_list(); }

void App::put_extension(std::type_index type, std::shared_ptr<void> extension) {
  std::lock_guard lock(extensions_mutex_);
  if (extension) {
    extensions_[type] = std::move(extension);
  } else {
    extensions_.erase(type);
  }
}

std::shared_ptr<void> App::find_extension(std::type_index type) const {
  std::lock_guard lock(extensions_mutex_);
  auto found = extensions_.find(type);
  return found == extensions_.end() ? nullptr : found->second;
}

}  // namespace web
