#include "queue/api/message_routes.h"

#include "queue/api/codec.h"
#include "queue/api/reply.h"
#include "queue/api/request_body.h"
#include "web/json.h"

namespace queue::api {
namespace {

void send(Call& call) {
  ParsedSend parsed = parse_body(call.request, parse_send_body);
  call.service->send(std::move(call.queue), std::move(parsed.messages),
                     reply<core::SendResult>(call.responder, [](core::SendResult& result) {
                       return web::json(201, sent_json(result));
                     }));
}

void receive(Call& call) {
  core::ReceiveOptions options = parse_body(call.request, parse_receive_body);
  // "acks" only answers an "ack": a plain receive's document stays as it was.
  const bool acking = !options.ack.empty();
  core::ReceiveHandle handle = call.service->receive_with_acks(
      std::move(call.queue), std::move(options),
      reply<core::ReceiveResult>(call.responder, [acking](core::ReceiveResult& result) {
        return web::json(200, acking ? received_with_acks_json(result) : received_json(result.messages));
      }));
  // Runs at once if the client is already gone. The service answers the cancelled
  // receive with an empty list, which the Responder then drops.
  call.responder.on_cancel([handle]() mutable { handle.cancel(); });
}

void ack(Call& call) {
  std::vector<std::string> receipts = parse_body(call.request, parse_ack_body);
  call.service->ack(std::move(call.queue), std::move(receipts),
                    reply<core::AckResult>(call.responder, [](core::AckResult& result) {
                      return web::json(200, acked_json(result));
                    }));
}

void change_visibility(Call& call) {
  VisibilityChange change = parse_body(call.request, parse_visibility_body);
  call.service->change_visibility(std::move(call.queue), std::move(change.receipts), change.visibility_timeout_s,
                                  reply<core::VisibilityResult>(call.responder, [](core::VisibilityResult& result) {
                                    return web::json(200, visibility_json(result));
                                  }));
}

}  // namespace

void add_message_routes(RouteTable& routes) {
  routes.add("POST", "/{queue}/messages", Access::send, send);
  routes.add("POST", "/{queue}/receive", Access::receive, receive);
  routes.add("POST", "/{queue}/ack", Access::receive, ack);
  routes.add("POST", "/{queue}/visibility", Access::receive, change_visibility);
}

}  // namespace queue::api
