// Driving an App without a socket: App::dispatch() is the whole request path minus
// the network, so these tests see exactly what a client would, only faster.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "web/app.h"
#include "web/request.h"
#include "web/response.h"

namespace test_support {

// Dispatches a request and waits (bounded) for the response, which an async
// handler may write later from another thread.
inline web::Response dispatch(const web::App& app, std::shared_ptr<web::Request> request) {
  auto promise = std::make_shared<std::promise<web::Response>>();
  std::future<web::Response> future = promise->get_future();
  app.dispatch(request, [promise](web::Response response) { promise->set_value(std::move(response)); });
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "no response within 10 s";
    return web::Response::text(599, "test: no response");
  }
  return future.get();
}

inline web::Response dispatch(const web::App& app, std::string method, std::string target,
                              web::Request::Headers headers = {}, std::string body = "") {
  return dispatch(app, std::make_shared<web::Request>(std::move(method), std::move(target), std::move(headers),
                                                      std::move(body)));
}

inline boost::json::value json_of(const web::Response& response) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(response.body, error);
  EXPECT_FALSE(error) << "not JSON: " << response.body;
  return value;
}

// Polls `target` until it answers `status` (Queue opens its storage in the background).
inline bool wait_for_status(const web::App& app, const std::string& target, int status,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (dispatch(app, "GET", target).status == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace test_support
