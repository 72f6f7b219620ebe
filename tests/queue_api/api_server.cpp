#include "tests/queue_api/api_server.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "queue/api/app.h"
#include "tests/queue_api/test_setup.h"

namespace queue_api_test {
namespace {

constexpr std::string_view readyz = "/api/v1/queue/readyz";

}  // namespace

ApiServer::ApiServer(Options options) {
  if (options.database_url.empty()) {
    // For SQLite a file, as Queue is deployed, rather than an in-memory database.
    database_.emplace(options.engine, /*persistent=*/true);
    options.database_url = database_->url();
  }
  web::Config config = queue_test_config(options.database_url);
  config.set("QUEUE_API_TOKENS", options.api_tokens);
  if (!options.metrics_max_queues.empty()) config.set("QUEUE_METRICS_MAX_QUEUES", options.metrics_max_queues);
  app_ = queue::create_app(config);

  server_ = std::make_unique<web::Server>(*app_, loopback_test_server());
  server_->start();

  if (!options.wait_until_ready) return;
  test::HttpClient client(port());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (client.get(readyz).status != 200) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("Queue did not become ready in 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

ApiServer::~ApiServer() {
  server_->shutdown();
  server_->wait();
}

std::size_t ApiServer::parked_receives() const {
  test::HttpClient client(port());
  test::HttpResponse response = client.get(readyz);
  if (response.status != 200) throw std::runtime_error("readyz answered " + std::to_string(response.status));
  return static_cast<std::size_t>(response.json().at("parked_receives").to_number<std::int64_t>());
}

bool ApiServer::wait_for_parked(std::size_t count, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (parked_receives() != count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string queue_path(std::string_view name, std::string_view suffix) {
  return "/api/v1/queues/" + std::string(name) + std::string(suffix);
}

QueueClient::QueueClient(unsigned short port, std::string token) : http_(port), token_(std::move(token)) {}

test::HttpResponse QueueClient::call(std::string_view method, std::string_view target, std::string_view json_body,
                                     test::Headers headers) {
  if (!json_body.empty()) headers.emplace_back("Content-Type", "application/json");
  if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
  return http_.request(method, target, json_body, headers);
}

test::HttpResponse QueueClient::put_queue(std::string_view name, std::string_view attributes) {
  return call("PUT", queue_path(name), attributes);
}

test::HttpResponse QueueClient::send(std::string_view queue, std::string_view body) {
  boost::json::object message{{"body", body}};
  boost::json::object document{{"messages", boost::json::array{message}}};
  return call("POST", queue_path(queue, "/messages"), boost::json::serialize(document));
}

boost::json::array QueueClient::receive(std::string_view queue, std::string_view options) {
  test::HttpResponse response = call("POST", queue_path(queue, "/receive"), options);
  EXPECT_EQ(response.status, 200) << response.body;
  if (response.status != 200) return {};
  return response.json().at("messages").as_array();
}

test::HttpResponse QueueClient::ack(std::string_view queue, std::string_view receipt) {
  boost::json::object document{{"receipts", boost::json::array{boost::json::value(receipt)}}};
  return call("POST", queue_path(queue, "/ack"), boost::json::serialize(document));
}

}  // namespace queue_api_test
