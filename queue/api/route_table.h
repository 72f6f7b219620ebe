// The one way Queue's route files add a route: each states the Access it needs, and
// its handler runs only after the caller passed that check and the service was found.
//
//   routes.add("POST", "/{queue}/purge", Access::admin, [](Call& call) { ... });
//
// So a handler never repeats the plumbing (token, scope, 503 while shutting down,
// the {queue} segment), and no route can forget the authorization.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "queue/api/authorization.h"
#include "queue/api/runtime.h"
#include "queue/core/service.h"
#include "web/blueprint.h"
#include "web/request.h"
#include "web/responder.h"

namespace queue::api {

// One authorized call of a route.
struct Call {
  web::Request& request;
  web::Responder responder;
  std::shared_ptr<core::QueueService> service;
  const Principal* principal;  // null when auth is off
  std::string queue;           // the route's {queue} segment; "" on GET /queues
};

using CallHandler = std::function<void(Call& call)>;

class RouteTable {
 public:
  // Adds routes to `blueprint`, which must outlive this table.
  RouteTable(web::Blueprint& blueprint, std::shared_ptr<Runtime> runtime,
             std::shared_ptr<const Authorizer> authorizer);

  // `pattern` is relative to the blueprint's "/queues" prefix ("", "/{queue}", "/{queue}/ack").
  void add(std::string method, std::string pattern, Access access, CallHandler handler);

 private:
  web::Blueprint& blueprint_;
  std::shared_ptr<Runtime> runtime_;
  std::shared_ptr<const Authorizer> authorizer_;
};

}  // namespace queue::api
