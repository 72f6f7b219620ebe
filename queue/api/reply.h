// Answering an HTTP request from a QueueService callback.
//
// The service answers on its engine thread, after the commit; reply() turns that
// answer into a response through the request's Responder, so no worker thread waits
// for the storage. A failure becomes Queue's JSON error with the matching status.
#pragma once

#include <exception>
#include <utility>

#include "queue/api/errors.h"
#include "queue/core/errors.h"
#include "queue/core/service.h"
#include "web/responder.h"
#include "web/response.h"

namespace queue::api {

// `render(T&)` builds the success response.
template <typename T, typename Render>
core::Callback<T> reply(web::Responder responder, Render render) {
  return [responder = std::move(responder), render = std::move(render)](core::Result<T> result) mutable {
    if (!result.ok()) {
      responder.send_error(to_http_error(result.error()));
      return;
    }
    try {
      responder.send(render(result.value()));
    } catch (const std::exception& error) {
      // Thrown on the engine thread, where nothing else would catch it.
      responder.send_error(make_error(contract::ErrorCode::internal_error, error.what()));
    }
  };
}

}  // namespace queue::api
