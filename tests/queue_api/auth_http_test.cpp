// QUEUE_API_TOKENS over HTTP: 401 with WWW-Authenticate for a missing or unknown
// token, 403 for a missing scope or a glob that does not cover the queue, the
// allowed paths through, and GET /queues filtered to what the token sees.
#include <gtest/gtest.h>

#include <optional>
#include <regex>

#include <boost/json/serialize.hpp>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

constexpr const char* tokens =
    "ops:ops-secret-1:admin;"
    "worker:worker-secret-1:receive@orders-*,send@audit;"
    "producer:producer-secret-1:send@orders-eu";

class AuthHttp : public ApiTest {
 protected:
  ApiServer::Options server_options() const override { return {.api_tokens = tokens}; }
  void prepare() override {
    ops.emplace(server().port(), "ops-secret-1");
    worker.emplace(server().port(), "worker-secret-1");
    producer.emplace(server().port(), "producer-secret-1");
    for (const char* name : {"orders-eu", "orders-us", "audit", "billing"}) {
      ASSERT_EQ(ops->put_queue(name).status, 201) << name;
    }
  }

  static std::string error_code(const test::HttpResponse& response) {
    return std::string(response.json().at("error").at("code").as_string());
  }

  std::optional<QueueClient> ops;
  std::optional<QueueClient> worker;
  std::optional<QueueClient> producer;
  QueueClient& anonymous() { return client(); }  // the fixture's client sends no token
};
QUEUE_API_INSTANTIATE(AuthHttp);

void expect_unauthorized(const test::HttpResponse& response, bool invalid_token) {
  EXPECT_EQ(response.status, 401) << response.body;
  EXPECT_EQ(response.json().at("error").at("code"), "unauthorized");
  std::string challenge = response.header("WWW-Authenticate");
  EXPECT_TRUE(challenge.starts_with("Bearer")) << challenge;
  EXPECT_EQ(challenge.find("invalid_token") != std::string::npos, invalid_token) << challenge;
}

TEST_P(AuthHttp, AMissingTokenIs401WithAChallenge) {
  expect_unauthorized(anonymous().call("GET", "/api/v1/queues"), false);
  expect_unauthorized(anonymous().send("orders-eu", "x"), false);
}

TEST_P(AuthHttp, AnUnknownOrMalformedTokenIs401) {
  QueueClient stranger(server().port(), "not-a-token");
  expect_unauthorized(stranger.call("GET", queue_path("orders-eu")), true);
  QueueClient prefix(server().port(), "ops-secret-");
  expect_unauthorized(prefix.call("GET", queue_path("orders-eu")), true);

  for (const char* header : {"Basic b3BzOm9wcy1zZWNyZXQtMQ==", "Bearer", "ops-secret-1"}) {
    test::HttpResponse response = anonymous().call("GET", "/api/v1/queues", {}, {{"Authorization", header}});
    expect_unauthorized(response, true);
  }
}

TEST_P(AuthHttp, ErrorsNeverEchoTheToken) {
  QueueClient stranger(server().port(), "a-secret-that-is-wrong");
  test::HttpResponse response = stranger.call("GET", "/api/v1/queues");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body.find("a-secret-that-is-wrong"), std::string::npos) << response.body;
  test::HttpResponse forbidden = worker->call("DELETE", queue_path("orders-eu"));
  EXPECT_EQ(forbidden.body.find("worker-secret-1"), std::string::npos) << forbidden.body;
}

TEST_P(AuthHttp, EveryQueueRouteNeedsAToken) {
  std::regex route(R"((\w+) (/api/v1/queues.*))");
  int checked = 0;
  for (const std::string& entry : server().app().route_list()) {
    std::smatch match;
    if (!std::regex_match(entry, match, route)) continue;
    std::string target = std::regex_replace(match[2].str(), std::regex(R"(\{queue\})"), "orders-eu");
    target = std::regex_replace(target, std::regex(R"(\{id\})"), "1");
    SCOPED_TRACE(entry);
    expect_unauthorized(anonymous().call(match[1].str(), target), false);
    ++checked;
  }
  EXPECT_EQ(checked, 12);
  // Health routes are for the platform's probes: no token.
  EXPECT_EQ(anonymous().call("GET", "/api/v1/queue/healthz").status, 200);
  EXPECT_EQ(anonymous().call("GET", "/api/v1/queue/readyz").status, 200);
}

TEST_P(AuthHttp, AdminMayDoEverything) {
  EXPECT_EQ(ops->send("billing", "x").status, 201);
  EXPECT_EQ(ops->receive("billing").size(), 1u);
  EXPECT_EQ(ops->call("GET", queue_path("billing", "/messages?state=in_flight")).status, 200);
  EXPECT_EQ(ops->call("POST", queue_path("billing", "/purge")).status, 200);
  EXPECT_EQ(ops->call("DELETE", queue_path("billing")).status, 204);
}

TEST_P(AuthHttp, ScopesAndGlobsDecidePerQueue) {
  ASSERT_EQ(ops->send("orders-eu", "for the worker").status, 201);

  // receive@orders-*: receive, ack and visibility on orders-*, nothing else there.
  boost::json::array received = worker->receive("orders-eu");
  ASSERT_EQ(received.size(), 1u);
  std::string receipt(received[0].at("receipt").as_string());
  EXPECT_EQ(worker->call("POST", queue_path("orders-eu", "/visibility"),
                        R"({"receipts":[")" + receipt + R"("],"visibility_timeout_s":60})")
                .status,
            200);
  EXPECT_EQ(worker->ack("orders-eu", receipt).json().at("acked"), 1);
  EXPECT_EQ(worker->call("GET", queue_path("orders-us")).status, 200);  // any grant covering it

  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"POST", queue_path("orders-eu", "/messages")},  // no send on orders-*
           {"PUT", queue_path("orders-eu")},                // no admin
           {"DELETE", queue_path("orders-eu")},
           {"POST", queue_path("orders-eu", "/purge")},
           {"POST", queue_path("orders-eu", "/redrive")},
           {"GET", queue_path("orders-eu", "/messages")},   // peek is admin
           {"POST", queue_path("audit", "/receive")},       // send@audit only
           {"GET", queue_path("billing")},                  // no grant covers billing
           {"POST", queue_path("billing", "/ack")},
       }) {
    SCOPED_TRACE(method + " " + target);
    std::string body = method == "POST" && target.ends_with("/messages") ? R"({"messages":[{"body":"x"}]})" : "";
    test::HttpResponse response = worker->call(method, target, body);
    EXPECT_EQ(response.status, 403) << response.body;
    EXPECT_EQ(error_code(response), "forbidden");
    EXPECT_FALSE(response.has_header("WWW-Authenticate"));
  }
  EXPECT_EQ(worker->send("audit", "an audit event").status, 201);

  // An exact glob covers its queue only.
  EXPECT_EQ(producer->send("orders-eu", "x").status, 201);
  EXPECT_EQ(producer->send("orders-us", "x").status, 403);
  EXPECT_EQ(producer->call("POST", queue_path("orders-eu", "/receive")).status, 403);
}

TEST_P(AuthHttp, ListShowsOnlyTheQueuesATokenSees) {
  EXPECT_EQ(boost::json::serialize(ops->call("GET", "/api/v1/queues").json().at("queues")),
            R"(["audit","billing","orders-eu","orders-us"])");
  EXPECT_EQ(boost::json::serialize(worker->call("GET", "/api/v1/queues").json().at("queues")),
            R"(["audit","orders-eu","orders-us"])");
  EXPECT_EQ(boost::json::serialize(producer->call("GET", "/api/v1/queues").json().at("queues")), R"(["orders-eu"])");

  // Filtering keeps paging intact: the cursor still leads past what was hidden.
  test::HttpResponse page = producer->call("GET", "/api/v1/queues?limit=2");
  EXPECT_EQ(boost::json::serialize(page.json().at("queues")), R"([])");  // audit, billing: not its own
  ASSERT_TRUE(page.json().at("next_cursor").is_string());
  test::HttpResponse next =
      producer->call("GET", "/api/v1/queues?limit=2&cursor=" + std::string(page.json().at("next_cursor").as_string()));
  EXPECT_EQ(boost::json::serialize(next.json().at("queues")), R"(["orders-eu"])");
}

TEST(AuthConfiguration, MalformedTokensRefuseToStart) {
  // Fail closed: a typo in QUEUE_API_TOKENS must never mean "auth off". (Parsing the
  // tokens comes before storage, so one engine says it for both.)
  EXPECT_THROW(ApiServer(ApiServer::Options{.api_tokens = "ops:short:admin", .wait_until_ready = false}),
               std::invalid_argument);
  EXPECT_THROW(ApiServer(ApiServer::Options{.api_tokens = "ops:ops-secret-1:root", .wait_until_ready = false}),
               std::invalid_argument);
}

QUEUE_API_SUITE(AuthOffHttp);

TEST_P(AuthOffHttp, WithoutTokensAuthIsOff) {
  EXPECT_EQ(client().put_queue("open").status, 201);
  EXPECT_EQ(client().call("GET", "/api/v1/queues").json().at("queues").as_array().size(), 1u);
}

}  // namespace
}  // namespace queue_api_test
