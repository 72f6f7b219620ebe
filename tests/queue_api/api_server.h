// Queue's standalone app (queue::create_app) served by a real web::Server on an
// ephemeral loopback port, over a fresh database of one engine (a SQLite file, or a
// PostgreSQL schema of its own): exactly what a client sees, in process. Plus
// QueueClient, a test::HttpClient that speaks Queue's API.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "tests/queue/engines.h"
#include "tests/support/http_client.h"
#include "web/app.h"
#include "web/server.h"

namespace queue_api_test {

class ApiServer {
 public:
  // Every field has an initializer so designated initializers may leave any out
  // (-Wmissing-field-initializers).
  struct Options {
    std::string api_tokens = {};    // QUEUE_API_TOKENS; empty: auth off
    std::string database_url = {};  // QUEUE_DATABASE_URL; empty: a fresh database of `engine`
    queue::testing::EngineKind engine = queue::testing::EngineKind::sqlite;
    bool wait_until_ready = true;
    std::string metrics_max_queues = {};  // QUEUE_METRICS_MAX_QUEUES; empty: the default
  };

  ApiServer() : ApiServer(Options{}) {}
  explicit ApiServer(Options options);
  ~ApiServer();  // drains the server, which shuts Queue down (parked long polls answered)
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  unsigned short port() const { return server_->port(); }
  const web::App& app() const { return *app_; }

  // Long polls parked in the service right now, from /api/v1/queue/readyz.
  std::size_t parked_receives() const;
  // Polls until parked_receives() == count; false after `timeout`.
  bool wait_for_parked(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  std::optional<queue::testing::TestDatabase> database_;  // outlives app_, whose pool is connected to it
  std::unique_ptr<web::App> app_;                         // outlives server_
  std::unique_ptr<web::Server> server_;
};

// "/api/v1/queues/<name><suffix>"
std::string queue_path(std::string_view name, std::string_view suffix = "");

// A client of Queue's API: JSON bodies with their Content-Type, and the bearer token.
class QueueClient {
 public:
  explicit QueueClient(unsigned short port, std::string token = "");

  // A request with `json_body` (sent as application/json when non-empty) and the token.
  test::HttpResponse call(std::string_view method, std::string_view target, std::string_view json_body = {},
                          test::Headers headers = {});

  test::HttpResponse put_queue(std::string_view name, std::string_view attributes = {});
  // Sends one message with this body (a JSON string literal is built from it).
  test::HttpResponse send(std::string_view queue, std::string_view body);
  // POST /receive with `options`; asserts a 200 and returns the "messages" array.
  boost::json::array receive(std::string_view queue, std::string_view options = R"({"max":10})");
  test::HttpResponse ack(std::string_view queue, std::string_view receipt);

  test::HttpClient& http() { return http_; }

 private:
  test::HttpClient http_;
  std::string token_;
};

}  // namespace queue_api_test
