// GET /metrics over HTTP: the Prometheus text format, per-queue series from the
// engines' counts and the process's counters, request series labelled by route
// pattern (never the raw path), the per-queue cap, and the `metrics` token scope.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

// The value of the sample written exactly as `series` (name and labels), or -1.
double sample(const std::string& text, const std::string& series) {
  std::string prefix = "\n" + series + " ";
  std::size_t at = ("\n" + text).find(prefix);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + prefix.size() - 1));
}

QUEUE_API_SUITE(MetricsHttp);

TEST_P(MetricsHttp, ShowsQueuesByStateCountersAndRequestsByRoutePattern) {
  ASSERT_EQ(client().put_queue("orders").status, 201);
  ASSERT_EQ(client().put_queue("idle").status, 201);
  for (const char* body : {"a", "b", "c"}) ASSERT_EQ(client().send("orders", body).status, 201);
  ASSERT_EQ(client().receive("orders", R"({"max":1})").size(), 1u);

  test::HttpResponse response = client().call("GET", "/metrics");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = response.body;
  EXPECT_EQ(sample(text, "queue_up"), 1);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="orders",state="ready"})"), 2);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="orders",state="in_flight"})"), 1);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="orders",state="delayed"})"), 0);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="idle",state="ready"})"), 0);
  EXPECT_EQ(sample(text, R"(queue_messages_sent_total{queue="orders"})"), 3);
  EXPECT_EQ(sample(text, R"(queue_messages_received_total{queue="orders"})"), 1);
  EXPECT_EQ(sample(text, R"(queue_messages_dead_lettered_total{queue="orders",reason="max_receives"})"), 0);
  EXPECT_GE(sample(text, R"(queue_oldest_message_age_seconds{queue="orders"})"), 0);
  EXPECT_EQ(sample(text, "queue_queues"), 2);
  EXPECT_EQ(sample(text, "queue_metrics_queues_omitted"), 0);
  EXPECT_EQ(sample(text, R"(queue_http_requests_total{route="/api/v1/queues/{queue}/messages",method="POST",status="201"})"),
            3);
  EXPECT_EQ(sample(text, R"(queue_http_request_duration_seconds_count{route="/api/v1/queues/{queue}/messages",method="POST"})"),
            3);
  EXPECT_GE(sample(text, "queue_storage_commit_batch_size_count"), 1);
  // Never the raw path: one series per queue name would be one per tenant's whim.
  EXPECT_EQ(text.find("route=\"/api/v1/queues/orders"), std::string::npos);
  // Every family is announced before its samples.
  EXPECT_NE(text.find("# TYPE queue_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("# TYPE queue_messages_sent_total counter"), std::string::npos);
}

TEST_P(MetricsHttp, AckedCountersAppearInTheQueueStatsToo) {
  ASSERT_EQ(client().put_queue("orders").status, 201);
  ASSERT_EQ(client().send("orders", "a").status, 201);
  auto messages = client().receive("orders", R"({"max":1})");
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(client().ack("orders", std::string(messages[0].at("receipt").as_string())).status, 200);
  boost::json::value stats = client().call("GET", queue_path("orders")).json().at("stats");
  EXPECT_EQ(stats.at("sent_total"), 1);
  EXPECT_EQ(stats.at("received_total"), 1);
  EXPECT_EQ(stats.at("acked_total"), 1);
  boost::json::value listed = client().call("GET", "/api/v1/queues").json();
  ASSERT_TRUE(listed.as_object().contains("queues"));
}

class CappedMetricsHttp : public ApiTest {
 protected:
  ApiServer::Options server_options() const override { return {.metrics_max_queues = "2"}; }
};
QUEUE_API_INSTANTIATE(CappedMetricsHttp);

TEST_P(CappedMetricsHttp, ShowsAtMostTheCapAndCountsTheRest) {
  for (const char* name : {"a", "b", "c", "d", "e"}) ASSERT_EQ(client().put_queue(name).status, 201);
  std::string text = client().call("GET", "/metrics").body;
  EXPECT_EQ(sample(text, "queue_queues"), 5);
  EXPECT_EQ(sample(text, "queue_metrics_queues_omitted"), 3);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="b",state="ready"})"), 0);
  EXPECT_EQ(sample(text, R"(queue_messages{queue="c",state="ready"})"), -1);
}

class MetricsAuthHttp : public ApiTest {
 protected:
  ApiServer::Options server_options() const override {
    return {.api_tokens = "ops:ops-secret-1:admin;prom:prom-secret-1:metrics;worker:worker-secret-1:receive"};
  }
};
QUEUE_API_INSTANTIATE(MetricsAuthHttp);

TEST_P(MetricsAuthHttp, NeedsTheMetricsScopeAndGrantsNothingElse) {
  test::HttpResponse anonymous = client().call("GET", "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.header("WWW-Authenticate"), "Bearer realm=\"queue\"");
  EXPECT_EQ(QueueClient(server().port(), "worker-secret-1").call("GET", "/metrics").status, 403);
  EXPECT_EQ(QueueClient(server().port(), "ops-secret-1").call("GET", "/metrics").status, 200);

  QueueClient prometheus(server().port(), "prom-secret-1");
  test::HttpResponse scrape = prometheus.call("GET", "/metrics");
  EXPECT_EQ(scrape.status, 200);
  EXPECT_NE(scrape.body.find("queue_up 1"), std::string::npos);
  // It may read what the scrape shows anyway (names, stats), and change nothing.
  EXPECT_EQ(prometheus.call("GET", "/api/v1/queues").status, 200);
  EXPECT_EQ(prometheus.put_queue("orders").status, 403);
  EXPECT_EQ(prometheus.send("orders", "x").status, 403);
}

}  // namespace
}  // namespace queue_api_test
