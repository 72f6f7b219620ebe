// The HTTP half of the conformance suite: a fixture whose tests run once per storage
// engine (engines.h), each against its own ApiServer on a fresh database.
//
//   QUEUE_API_SUITE(MessagesHttp);              // or a fixture derived from ApiTest
//   TEST_P(MessagesHttp, AckDeletes) {          // MessagesHttp/AckDeletes/sqlite
//     client().send("jobs", "x");               //  and .../postgres
//   }
//
// The server starts in SetUp, once the engine is known and PostgreSQL found (a
// member would start before the test could skip or fail for want of a server).
// Fixtures prepare their queues in prepare(), which runs only when it started.
#pragma once

#include <optional>

#include "tests/queue/engines.h"
#include "tests/queue_api/api_server.h"

namespace queue_api_test {

class ApiTest : public queue::testing::EngineTest {
 protected:
  void SetUp() final;

  // What the fixture's server is started with (its engine is always the test's).
  virtual ApiServer::Options server_options() const { return {}; }
  // What every test of the fixture starts from, e.g. its queues.
  virtual void prepare() {}

  ApiServer& server() { return *server_; }
  QueueClient& client() { return *client_; }
  queue::testing::EngineKind engine() const { return GetParam(); }

 private:
  std::optional<ApiServer> server_;
  std::optional<QueueClient> client_;
};

}  // namespace queue_api_test

#define QUEUE_API_INSTANTIATE(Suite) QUEUE_ENGINE_INSTANTIATE(Suite)

#define QUEUE_API_SUITE(Suite)                           \
  class Suite : public ::queue_api_test::ApiTest {};     \
  QUEUE_API_INSTANTIATE(Suite)
