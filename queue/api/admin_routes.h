// Queue administration and inspection, under the "queues" blueprint (/api/v1/queues):
//   GET    /queues                    list (only the queues the token sees)    authenticated
//   PUT    /queues/{q}                create (201) or update (200)             admin
//   GET    /queues/{q}                attributes and stats                     any grant on q
//   DELETE /queues/{q}                204                                      admin
//   POST   /queues/{q}/purge          {"purged":n}                             admin
//   POST   /queues/{q}/redrive        {"moved":n}                              admin
//   GET    /queues/{q}/messages       peek: ?state=&limit=&cursor=, no receipts admin
//   GET    /queues/{q}/messages/{id}  one message and its state, unchanged     admin
#pragma once

#include "queue/api/route_table.h"

namespace queue::api {

void add_admin_routes(RouteTable& routes);

}  // namespace queue::api
