// The application: config, blueprints mounted under prefixes, and dispatch
// (Flask's Flask object). Serving it over a socket is Server's job (web/server.h).
//
// dispatch() is the whole request path minus the network: route, before hooks,
// handler, after hooks, error handling. Tests may call it directly.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <vector>

#include "web/blueprint.h"
#include "web/config.h"
#include "web/request.h"
#include "web/response.h"

namespace web {

class Router;

class App {
 public:
  App(std::string name, Config config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const std::string& name() const { return name_; }
  const Config& config() const { return config_; }

  // Mounts the blueprint's routes at url_prefix + blueprint.url_prefix().
  void register_blueprint(Blueprint blueprint, std::string_view url_prefix = "");
  // Formats errors on paths that no blueprint owns. The default answers
  // {"error":{"code","message","request_id"}}.
  void error_handler(ErrorHandler handler);

  // Routes and runs `request`; `write` is called exactly once with the final response,
  // possibly later and from another thread. The response carries X-Request-ID.
  void dispatch(std::shared_ptr<Request> request, std::function<void(Response)> write) const;
  // Formats an error for a request that never reached a handler (bad framing, body too large)
  // with the handler of the blueprint owning its path, if the path is known.
  Response error_response(const Request& request, const Error& error) const;

  // Called by Server.
  void before_serving(const ServingInfo& info) const;  // throws if a blueprint refuses
  void shutdown() const;                                // runs every blueprint's on_shutdown once

  // Extensions (Flask's app.extensions): objects the app's parts share, one per type,
  // e.g. a client of a service the app calls. A factory sets them while it builds the
  // app; whoever holds the app (main, tests, later factories) finds them by type,
  // without web/ knowing what they are. The key is T as written, so register an
  // interface as itself: set_extension<Client>(impl). Setting null removes one.
  // Thread-safe.
  template <typename T>
  void set_extension(std::shared_ptr<T> extension) {
    put_extension(typeid(T), std::move(extension));
  }
  // The extension of type T, or null when none was set.
  template <typename T>
  std::shared_ptr<T> extension() const {
    return std::static_pointer_cast<T>(find_extension(typeid(T)));
  }

  const std::vector<Blueprint>& blueprints() const { return blueprints_; }
  // "METHOD /full/pattern" for every route, for docs and tests (e.g. the OpenAPI check).
  std::vector<std::string> route_list() const;

 private:
  std::string name_;
  Config config_;
  std::vector<Blueprint> blueprints_;
  std::unique_ptr<Router> router_;
  ErrorHandler error_handler_;
  mutable std::atomic<bool> shut_down_{false};

  void put_extension(std::type_index type, std::shared_ptr<void> extension);
  std::shared_ptr<void> find_extension(std::type_index type) const;

  mutable std::mutex extensions_mutex_;
  std::map<std::type_index, std::shared_ptr<void>> extensions_;
};

}  // namespace web
