#include "queue/api/admin_routes.h"

#include "queue/api/codec.h"
#include "queue/api/reply.h"
#include "queue/api/request_body.h"
#include "queue/api/request_params.h"
#include "web/json.h"

namespace queue::api {
namespace {

namespace limits = core::limits;

constexpr int default_peek_limit = 10;

// A restricted token sees only its queues. The page is filtered after the fact, so it
// may hold fewer than `limit` names while next_cursor still says more may follow.
void list_queues(Call& call) {
  core::ListQueuesRequest list;
  list.prefix = query_string(call.request, "prefix");
  list.limit = query_int(call.request, "limit", limits::list_limit_max, 1, limits::list_limit_max);
  list.cursor = query_string(call.request, "cursor");
  call.service->list_queues(std::move(list), reply<core::QueueList>(call.responder, [principal = call.principal](
                                                                                         core::QueueList& page) {
    std::erase_if(page.names, [principal](const std::string& name) { return !Authorizer::may_list(principal, name); });
    return web::json(200, queue_list_json(page.names, page.next_cursor));
  }));
}

void put_queue(Call& call) {
  core::AttributesPatch patch = parse_body(call.request, parse_put_queue_body);
  call.service->put_queue(std::move(call.queue), std::move(patch),
                          reply<core::PutQueueResult>(call.responder, [](core::PutQueueResult& result) {
                            return web::json(result.created ? 201 : 200, queue_json(result.queue));
                          }));
}

void get_queue(Call& call) {
  call.service->get_queue(std::move(call.queue), reply<core::QueueInfo>(call.responder, [](core::QueueInfo& queue) {
                            return web::json(200, queue_json(queue));
                          }));
}

void delete_queue(Call& call) {
  call.service->delete_queue(std::move(call.queue), reply<core::Done>(call.responder, [](core::Done&) {
                               return web::Response::empty(204);
                             }));
}

void purge(Call& call) {
  parse_body(call.request, parse_empty_body);
  call.service->purge(std::move(call.queue), reply<core::PurgeResult>(call.responder, [](core::PurgeResult& result) {
                        return web::json(200, purged_json(result));
                      }));
}

void redrive(Call& call) {
  core::RedriveRequest request = parse_body(call.request, parse_redrive_body);
  call.service->redrive(std::move(call.queue), std::move(request),
                        reply<core::RedriveResult>(call.responder, [](core::RedriveResult& result) {
                          return web::json(200, redriven_json(result));
                        }));
}

void peek(Call& call) {
  core::PeekRequest request;
  if (std::optional<std::string> state = call.request.query("state")) {
    request.state = value_or_fail(parse_peek_state(*state));
  }
  request.limit = query_int(call.request, "limit", default_peek_limit, 1, limits::peek_limit_max);
  request.cursor = query_string(call.request, "cursor");
  call.service->peek(std::move(call.queue), std::move(request),
                     reply<core::PeekPage>(call.responder, [](core::PeekPage& page) {
                       return web::json(200, peek_page_json(page));
                     }));
}

void get_message(Call& call) {
  call.service->get_message(std::move(call.queue), std::string(call.request.param("id")),
                            reply<core::PeekedMessage>(call.responder, [](core::PeekedMessage& message) {
                              return web::json(200, peeked_message_json(message));
                            }));
}

}  // namespace

void add_admin_routes(RouteTable& routes) {
  routes.add("GET", "", Access::authenticated, list_queues);
  routes.add("PUT", "/{queue}", Access::admin, put_queue);
  routes.add("GET", "/{queue}", Access::see_queue, get_queue);
  routes.add("DELETE", "/{queue}", Access::admin, delete_queue);
  routes.add("POST", "/{queue}/purge", Access::admin, purge);
  routes.add("POST", "/{queue}/redrive", Access::admin, redrive);
  routes.add("GET", "/{queue}/messages", Access::admin, peek);
  routes.add("GET", "/{queue}/messages/{id}", Access::admin, get_message);
}

}  // namespace queue::api
