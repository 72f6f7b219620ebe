#include "bench/drivers/queue_http_client.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bench/tests/canned_server.h"

namespace bench {
namespace {

using fake::CannedServer;
using fake::json_response;
using fake::Script;
namespace json = boost::json;

Target target_at(const CannedServer& server, std::string token = "") {
  Target target;
  target.system = System::queue;
  target.endpoint = {"127.0.0.1", server.port()};
  target.queue = "orders";
  target.token = std::move(token);
  return target;
}

json::value body_of(const std::string& request) { return json::parse(request.substr(request.find("\r\n\r\n") + 4)); }

TEST(QueueHttpClient, SpeaksIssue3sRoutesWithBearerToken) {
  Script script{{
      json_response(201, R"({"name":"orders"})"),
      json_response(201, R"({"messages":[{"id":"m1"},{"id":"m2"}]})"),
      json_response(200, R"({"messages":[{"id":"m1","body":"first","attributes":{},"receipt":"r1","receive_count":1}]})"),
      json_response(200, R"({"acked":1,"failed":[]})"),
  }};
  CannedServer server(script);
  QueueHttpClient client(target_at(server, "s3cret"));
  client.create_queue();
  const std::vector<std::string> bodies{"first", "second"};
  client.send(bodies);
  const std::vector<Delivery> got = client.receive(10, std::chrono::seconds(1));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "first");
  EXPECT_EQ(got[0].handle, "r1");
  client.ack(got);

  const std::vector<std::string>& requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_TRUE(requests[0].starts_with("PUT /api/v1/queues/orders HTTP/1.1\r\n"));
  EXPECT_NE(requests[0].find("Authorization: Bearer s3cret\r\n"), std::string::npos);
  EXPECT_TRUE(requests[1].starts_with("POST /api/v1/queues/orders/messages "));
  EXPECT_EQ(body_of(requests[1]), json::parse(R"({"messages":[{"body":"first"},{"body":"second"}]})"));
  EXPECT_TRUE(requests[2].starts_with("POST /api/v1/queues/orders/receive "));
  EXPECT_EQ(body_of(requests[2]), json::parse(R"({"max":10,"wait_s":1})"));
  EXPECT_TRUE(requests[3].starts_with("POST /api/v1/queues/orders/ack "));
  EXPECT_EQ(body_of(requests[3]), json::parse(R"({"receipts":["r1"]})"));
}

TEST(QueueHttpClient, AckAndReceiveIsOneReceiveCarryingTheReceipts) {
  CannedServer server(Script{{
      json_response(200, R"({"messages":[{"id":"m2","body":"second","attributes":{},"receipt":"r2","receive_count":1}],)"
                         R"("acks":{"acked":1,"failed":[]}})"),
      json_response(200, R"({"messages":[],"acks":{"acked":0,"failed":[{"receipt":"r2","code":"receipt_invalid"}]}})"),
      json_response(200, R"({"messages":[]})"),
  }});
  QueueHttpClient client(target_at(server));
  const std::vector<Delivery> got = client.ack_and_receive(std::vector<Delivery>{{"first", "r1"}}, 1, std::chrono::seconds(0));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].handle, "r2");
  EXPECT_THROW(client.ack_and_receive(got, 1, std::chrono::seconds(0)), std::runtime_error) << "r2 was refused";
  EXPECT_THROW(client.ack_and_receive(got, 1, std::chrono::seconds(0)), std::runtime_error) << "no \"acks\"";

  const std::vector<std::string>& requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].starts_with("POST /api/v1/queues/orders/receive "));
  EXPECT_EQ(body_of(requests[0]), json::parse(R"({"max":1,"wait_s":0,"ack":["r1"]})"));
}

TEST(QueueHttpClient, ErrorStatusesThrowWithTheServersMessage) {
  CannedServer server(Script{{json_response(503, R"({"error":{"code":"unavailable","message":"storage"}})")}});
  QueueHttpClient client(target_at(server));
  try {
    client.send(std::vector<std::string>{"x"});
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("503"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("unavailable"), std::string::npos);
  }
}

TEST(QueueHttpClient, PartialAckOrMissingIdsAreFailures) {
  CannedServer server(Script{{
      json_response(201, R"({"messages":[{"id":"m1"}]})"),
      json_response(200, R"({"acked":0,"failed":[{"receipt":"r1","code":"receipt_invalid"}]})"),
      json_response(200, R"({"messages":[{"id":"m1","receipt":"r1"}]})"),
  }});
  QueueHttpClient client(target_at(server));
  EXPECT_THROW(client.send(std::vector<std::string>{"a", "b"}), std::runtime_error);
  EXPECT_THROW(client.ack(std::vector<Delivery>{{"a", "r1"}}), std::runtime_error);
  EXPECT_THROW(client.receive(1, std::chrono::seconds(0)), std::runtime_error);  // no body
}

TEST(QueueHttpClient, StatsAndMetricsAreWhatAMonitorAsks) {
  CannedServer server(Script{{
      json_response(200, R"({"name":"orders","attributes":{},"created_at":"2026-12-02T00:00:00Z",)"
                         R"("stats":{"visible":1000000,"in_flight":3,"delayed":0,"oldest_age_s":9}})"),
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nqueue_up 1\n",
      json_response(200, R"({"name":"orders","stats":{}})"),
  }});
  QueueHttpClient client(target_at(server));
  EXPECT_EQ(client.visible(), 1'000'000u);
  client.metrics();
  EXPECT_THROW(client.visible(), std::runtime_error) << "no visible count";

  const std::vector<std::string>& requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[0].starts_with("GET /api/v1/queues/orders HTTP/1.1\r\n"));
  EXPECT_TRUE(requests[1].starts_with("GET /metrics HTTP/1.1\r\n"));  // at the root, whatever the API's prefix
}

}  // namespace
}  // namespace bench
