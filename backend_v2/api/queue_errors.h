// Queue's failures as Raptor's errors. Raptor's clients speak Raptor's format
// ({"status":"error","error":{"type","detail"}}), never Queue's; what they need to
// know is whether to retry, so the mapping keeps that and little else.
#pragma once

#include "queue/contract/result.h"
#include "web/error.h"

namespace raptor::api {

// unavailable         -> 503 queue_unavailable, Retry-After (Queue's, or 1 s)
// deadline_exceeded   -> 504 queue_timeout
// invalid_request     -> 400 bad_request     (what the client sent did not fit a job)
// payload_too_large   -> 413 payload_too_large
// anything else       -> 502 queue_error     (Raptor's own bug or misconfiguration, e.g. a
//                                             token Queue refuses: not the client's to fix)
web::Error from_queue_error(const queue::contract::Error& error);

// 503 queue_disabled: this Raptor has no Queue (neither RAPTOR_QUEUE_URL nor FLAG_QUEUE_V1).
web::Error queue_disabled_error();

}  // namespace raptor::api
