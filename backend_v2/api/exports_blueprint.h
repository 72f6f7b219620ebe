// Raptor's report exports, the first Raptor feature moved onto Queue: a request
// enqueues a job on the `raptor-exports` queue and is answered 202 at once; export
// workers (elsewhere) take the jobs from there.
//
//   POST /api/v1/raptor/exports         {"report":"sales-q1","format":"csv"}
//        -> 202 {"status":"accepted","job":{"id":"17","queue":"raptor-exports"}}
//        An Idempotency-Key header makes a retried request enqueue the job only once
//        (Queue's dedup window).
//   GET  /api/v1/raptor/exports/queue   -> 200 {"queue":"raptor-exports","visible":3,...}
//
// The handlers never block a web worker: they call the async_* form of the client and
// answer through the Responder when Queue does. Queue's failures are answered in
// Raptor's format (queue_errors.h); with no Queue configured, 503 queue_disabled.
#pragma once

#include <memory>

#include "queue/contract/client.h"
#include "web/blueprint.h"

namespace raptor::api {

// `queue` may be null (no Queue configured).
web::Blueprint create_exports_blueprint(std::shared_ptr<queue::contract::QueueClient> queue);

}  // namespace raptor::api
