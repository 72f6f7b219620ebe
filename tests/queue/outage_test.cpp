// PostgreSQL stopped under load and started again, with Queue mounted in the real
// `raptor` binary: Queue answers 503 with Retry-After meanwhile, Raptor keeps
// serving its own routes, Queue reconnects by itself, and nothing acknowledged is
// lost (every message whose send got a 201 is delivered, no acked one comes back).
//
// Stops the shared test server, so CTest runs it alone (RUN_SERIAL). Needs
// QUEUE_TEST_POSTGRES_CTL (scripts/with-postgres) to stop and start the server.
#include <boost/json.hpp>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "postgres_fixture.h"
#include "tests/integration/server_process.h"
#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"

namespace queue::testing {
namespace {

namespace json = boost::json;

void server_control(const std::string& action) {
  const char* ctl = std::getenv("QUEUE_TEST_POSTGRES_CTL");
  ASSERT_TRUE(ctl && *ctl) << "QUEUE_TEST_POSTGRES_CTL is not set (run through scripts/with-postgres)";
  std::string command = std::string(ctl) + " " + action;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

class Outage : public PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const char* ctl = std::getenv("QUEUE_TEST_POSTGRES_CTL");
    if (!ctl || !*ctl) {
      const char* ci = std::getenv("CI");
      if (ci && std::string_view(ci) == "true") FAIL() << "QUEUE_TEST_POSTGRES_CTL is not set";
      GTEST_SKIP() << "*** outage NOT TESTED: QUEUE_TEST_POSTGRES_CTL is not set (scripts/with-postgres) ***";
    }
  }
  void TearDown() override {
    // Whatever happened, leave the server running for the tests after this one.
    if (stopped_) server_control("start");
  }
  void stop_server() {
    server_control("stop");
    stopped_ = true;
  }
  void start_server() {
    server_control("start");
    stopped_ = false;
  }

 private:
  bool stopped_ = false;
};

std::string body_of(int n) { return R"({"messages":[{"body":"m)" + std::to_string(n) + R"("}]})"; }

TEST_F(Outage, QueueAnswers503WhileTheDatabaseIsDownAndRecoversByItself) {
  TestDatabase database;
  test_support::TempDir dir;
  test_support::ServerProcess raptor(RAPTOR_BINARY,
                                     {{"FLAG_QUEUE_V1", "1"},
                                      {"QUEUE_DATABASE_URL", database.url()},
                                      {"QUEUE_OPEN_RETRY_MIN_MS", "20"}},
                                     dir);
  ASSERT_TRUE(raptor.wait_for_status("/api/v1/queue/readyz", 200)) << raptor.output();
  test::HttpClient client(raptor.port());
  test::Headers json_type{{"Content-Type", "application/json"}};
  ASSERT_EQ(client.request("PUT", "/api/v1/queues/q", R"({"visibility_timeout_s":1})", json_type).status, 201);

  // Acknowledged before the outage: must never come back.
  std::set<std::string> acked;
  for (int i = 0; i < 5; ++i) ASSERT_EQ(client.post("/api/v1/queues/q/messages", body_of(i), json_type).status, 201);
  auto received = client.post("/api/v1/queues/q/receive", R"({"max":3})", json_type).json().at("messages").as_array();
  ASSERT_EQ(received.size(), 3u);
  for (const auto& m : received) {
    auto ack = client.post("/api/v1/queues/q/ack", R"({"receipts":[)" + json::serialize(m.at("receipt")) + "]}",
                           json_type);
    ASSERT_EQ(ack.json().at("acked"), 1);
    acked.insert(std::string(m.at("id").as_string()));
  }

  // Load: a producer that records every send the server acknowledged.
  std::mutex mutex;
  std::set<std::string> sent;
  std::atomic<bool> producing{true};
  std::atomic<int> unavailable{0};
  std::thread producer([&] {
    test::HttpClient own(raptor.port());
    for (int n = 100; producing; ++n) {
      auto response = own.post("/api/v1/queues/q/messages", body_of(n), json_type);
      if (response.status == 201) {
        std::lock_guard lock(mutex);
        sent.insert(std::string(response.json().at("messages").as_array()[0].at("id").as_string()));
      } else if (response.status == 503) {
        ++unavailable;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return sent.size() >= 20;
  }));

  stop_server();
  test::HttpResponse refused;
  ASSERT_TRUE(eventually([&] {
    refused = client.get("/api/v1/queues/q");
    return refused.status == 503;
  })) << refused.status << " " << refused.body;
  EXPECT_FALSE(refused.header("Retry-After").empty());
  EXPECT_EQ(refused.json().at("error").at("code"), "unavailable");
  EXPECT_EQ(client.get("/healthz").status, 200);  // Raptor's own routes are not Queue's to take down
  ASSERT_TRUE(eventually([&] { return unavailable > 0; }));

  start_server();
  // No restart of raptor: Queue reconnects on its own.
  ASSERT_TRUE(eventually([&] { return client.get("/api/v1/queues/q").status == 200; }, std::chrono::seconds(20)))
      << raptor.output();
  std::size_t sent_before = 0;
  {
    std::lock_guard lock(mutex);
    sent_before = sent.size();
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return sent.size() >= sent_before + 20;
  }));
  producing = false;
  producer.join();

  // Drain: every acknowledged send is there, no acked message came back.
  std::set<std::string> delivered;
  for (int empty_polls = 0; empty_polls < 2;) {
    auto messages = client.post("/api/v1/queues/q/receive", R"({"max":100,"wait_s":2})", json_type)
                        .json().at("messages").as_array();
    if (messages.empty()) {
      ++empty_polls;
      continue;
    }
    json::array receipts;
    for (const auto& m : messages) {
      delivered.insert(std::string(m.at("id").as_string()));
      receipts.push_back(m.at("receipt"));
    }
    client.post("/api/v1/queues/q/ack", R"({"receipts":)" + json::serialize(receipts) + "}", json_type);
  }
  for (const auto& id : sent) EXPECT_TRUE(delivered.contains(id)) << "acknowledged send " << id << " was lost";
  for (const auto& id : acked) EXPECT_FALSE(delivered.contains(id)) << "acked message " << id << " came back";
  std::printf("outage: %zu sends acknowledged, %d answered 503 during the outage, %zu delivered afterwards\n",
              sent.size(), unavailable.load(), delivered.size());
}

}  // namespace
}  // namespace queue::testing
