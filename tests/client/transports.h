// The conformance suite's transports: one QueueClient, made three ways, over a fresh
// database of either engine. Every test of tests/client runs against each pair:
//
//   in_process/sqlite      Raptor's app with Queue mounted (FLAG_QUEUE_V1), and the
//   in_process/postgres    client Raptor's factory hands its own code (app.extension)
//   raptor_http/...        the same Raptor app on a real web::Server, called with the
//                          remote client over loopback HTTP
//   queue_server_http/...  Queue's standalone app (queue-server's factory) on a real
//                          web::Server, remote client
//
// So what Raptor's code sees in Phase 1 and what it will see after extraction are
// checked by the same assertions.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>

#include "queue/contract/client.h"
#include "tests/queue/engines.h"
#include "web/app.h"
#include "web/config.h"
#include "web/server.h"

namespace client_test {

enum class Transport { in_process, raptor_http, queue_server_http };
void PrintTo(Transport transport, std::ostream* out);

// An app (Raptor's or Queue's) serving one fresh database, and a client of it.
class ClientUnderTest {
 public:
  // `extra` is added to the app's environment (e.g. QUEUE_API_TOKENS).
  ClientUnderTest(Transport transport, queue::testing::EngineKind engine, web::Config extra = {},
                  std::string token = {});
  ~ClientUnderTest();  // shuts Queue down: parked long polls are answered
  ClientUnderTest(const ClientUnderTest&) = delete;
  ClientUnderTest& operator=(const ClientUnderTest&) = delete;

  queue::contract::QueueClient& client() { return *client_; }
  std::shared_ptr<queue::contract::QueueClient> shared_client() { return client_; }
  // Another remote client of the same server (http transports only), e.g. with another token.
  std::shared_ptr<queue::contract::QueueClient> remote_client(std::string token) const;
  // The app serving Queue: Raptor's (in_process, raptor_http) or queue-server's.
  web::App& app() { return *app_; }
  // "http://127.0.0.1:<port>" of the http transports' server.
  std::string base_url() const;
  // Blocks until Queue answers (its storage opens in the background); false after `timeout`.
  bool wait_until_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  Transport transport_;
  std::optional<queue::testing::TestDatabase> database_;  // outlives the app
  std::unique_ptr<web::App> app_;
  std::unique_ptr<web::Server> server_;                    // http transports only
  std::shared_ptr<queue::contract::QueueClient> client_;
};

using Param = std::tuple<Transport, queue::testing::EngineKind>;

class ClientSuite : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override;
  void TearDown() override { under_test_.reset(); }

  Transport transport() const { return std::get<0>(GetParam()); }
  queue::contract::QueueClient& client() { return under_test_->client(); }
  ClientUnderTest& under_test() { return *under_test_; }

 private:
  std::optional<ClientUnderTest> under_test_;
};

std::string param_name(const ::testing::TestParamInfo<Param>& info);

}  // namespace client_test

#define QUEUE_CLIENT_SUITE(Suite)                                                                        \
  class Suite : public ::client_test::ClientSuite {};                                                    \
  INSTANTIATE_TEST_SUITE_P(                                                                              \
      , Suite,                                                                                           \
      ::testing::Combine(::testing::Values(::client_test::Transport::in_process,                         \
                                           ::client_test::Transport::raptor_http,                        \
                                           ::client_test::Transport::queue_server_http),                 \
                         ::testing::Values(::queue::testing::EngineKind::log,                            \
                                           ::queue::testing::EngineKind::sqlite,                         \
                                           ::queue::testing::EngineKind::postgres)),                     \
      ::client_test::param_name)
