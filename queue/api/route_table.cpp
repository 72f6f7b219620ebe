#include "queue/api/route_table.h"

#include "queue/api/errors.h"
#include "queue/api/readiness.h"

namespace queue::api {

RouteTable::RouteTable(web::Blueprint& blueprint, std::shared_ptr<Runtime> runtime,
                       std::shared_ptr<const Authorizer> authorizer)
    : blueprint_(blueprint), runtime_(std::move(runtime)), authorizer_(std::move(authorizer)) {}

void RouteTable::add(std::string method, std::string pattern, Access access, CallHandler handler) {
  blueprint_.route_async(
      std::move(method), std::move(pattern),
      [runtime = runtime_, authorizer = authorizer_, access, handler = std::move(handler)](
          web::Request& request, web::Responder responder) {
        // Who is calling comes before anything that could tell a stranger about the queue.
        const Principal* principal = authorizer->authenticate(request);
        std::string queue(request.param("queue"));
        Authorizer::authorize(principal, access, queue);
        // The readiness hook let the request in, but shutdown may have begun since.
        std::shared_ptr<core::QueueService> service = runtime->service();
        if (!service) fail(not_ready_error(*runtime));
        Call call{request, std::move(responder), std::move(service), principal, std::move(queue)};
        handler(call);
      });
}

}  // namespace queue::api
