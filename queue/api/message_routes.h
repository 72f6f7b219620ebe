// Producing and consuming, under the "queues" blueprint (/api/v1/queues):
//   POST /queues/{q}/messages     send 1..100, all or nothing: 201 {"messages":[{"id"}]}   send
//   POST /queues/{q}/receive      lease up to max, long-polling up to wait_s              receive
//   POST /queues/{q}/ack          {"acked":n,"failed":[{"receipt","code"}]}               receive
//   POST /queues/{q}/visibility   {"updated":n,"failed":[...]}; 0 releases at once        receive
//
// A long poll holds no worker thread: the service parks it and answers through the
// Responder when a message arrives, wait_s passes or Queue shuts down; a client that
// hangs up cancels it so it leases nothing nobody would acknowledge.
#pragma once

#include "queue/api/route_table.h"

namespace queue::api {

void add_message_routes(RouteTable& routes);

}  // namespace queue::api
