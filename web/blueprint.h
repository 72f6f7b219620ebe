// A blueprint: a named group of routes with its own hooks and error handler,
// mounted by an App under a URL prefix (Flask's Blueprint, in C++).
//
// Unlike Flask, a blueprint owns every error under its prefix: a 404 for
// /api/v1/queues/x/nope or a 405 on one of its paths is formatted by its error
// handler, not the app's, as Crow's blueprints do.
//
// Routes are patterns of literal segments and `{name}` parameters:
//   bp.route("GET", "/queues/{queue}", get_queue);
// An empty pattern "" matches the blueprint's prefix itself.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/error.h"
#include "web/request.h"
#include "web/responder.h"
#include "web/response.h"

namespace web {

using Handler = std::function<Response(Request&)>;
using AsyncHandler = std::function<void(Request&, Responder)>;
// Returns a response to answer at once (the route's handler is then not called), or nothing to go on.
using BeforeRequestHook = std::function<std::optional<Response>(Request&)>;
using AfterRequestHook = std::function<void(const Request&, Response&)>;
using ErrorHandler = std::function<Response(const Request&, const Error&)>;

// What the server will listen on, given to before_serving hooks so a blueprint can refuse
// (by throwing) to be served where it would be unsafe.
struct ServingInfo {
  std::string host;
  unsigned short port = 0;
  bool loopback = true;  // whether `host` is a loopback address
};

class Blueprint {
 public:
  struct Route {
    std::string method;
    std::string pattern;  // relative to the blueprint's url_prefix
    AsyncHandler handler;
  };

  // `url_prefix` is the part of the path the blueprint owns below its mount point, e.g. "/queues".
  explicit Blueprint(std::string name, std::string url_prefix = "");

  Blueprint& route(std::string method, std::string pattern, Handler handler);
  Blueprint& route_async(std::string method, std::string pattern, AsyncHandler handler);
  Blueprint& before_request(BeforeRequestHook hook);
  Blueprint& after_request(AfterRequestHook hook);
  Blueprint& error_handler(ErrorHandler handler);
  Blueprint& before_serving(std::function<void(const ServingInfo&)> hook);
  // Runs once when the server starts draining (SIGTERM): answer parked requests, stop threads.
  Blueprint& on_shutdown(std::function<void()> hook);

  const std::string& name() const { return name_; }
  const std::string& url_prefix() const { return url_prefix_; }
  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<BeforeRequestHook>& before_request_hooks() const { return before_; }
  const std::vector<AfterRequestHook>& after_request_hooks() const { return after_; }
  const ErrorHandler& error_handler() const { return error_handler_; }
  const std::vector<std::function<void(const ServingInfo&)>>& before_serving_hooks() const { return serving_; }
  const std::vector<std::function<void()>>& shutdown_hooks() const { return shutdown_; }

 private:
  std::string name_;
  std::string url_prefix_;
  std::vector<Route> routes_;
  std::vector<BeforeRequestHook> before_;
  std::vector<AfterRequestHook> after_;
  ErrorHandler error_handler_;
  std::vector<std::function<void(const ServingInfo&)>> serving_;
  std::vector<std::function<void()>> shutdown_;
};

}  // namespace web
