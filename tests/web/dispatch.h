// Runs a request through App::dispatch without a network, for the unit tests.
#pragma once

#include <future>
#include <memory>
#include <string>

#include "web/app.h"

namespace web::testing {

// Dispatches and returns the response, waiting up to 5 s for an asynchronous one.
inline Response call(const App& app, std::string method, std::string target, std::string body = {},
                     Request::Headers headers = {}) {
  auto request = std::make_shared<Request>(std::move(method), std::move(target), std::move(headers), std::move(body));
  auto promise = std::make_shared<std::promise<Response>>();
  auto future = promise->get_future();
  app.dispatch(request, [promise](Response response) { promise->set_value(std::move(response)); });
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    return Response::text(599, "test: no response within 5 s");
  }
  return future.get();
}

}  // namespace web::testing
