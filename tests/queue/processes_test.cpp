// Two real queue-server processes on one PostgreSQL database, over HTTP: what a
// deployment with several dynos does.
#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <thread>

#include "postgres_fixture.h"
#include "queue/storage/postgres/schema.h"
#include "tests/integration/server_process.h"
#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"

namespace queue::testing {
namespace {

namespace json = boost::json;
using test_support::ServerProcess;

class TwoProcesses : public PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    database = std::make_unique<TestDatabase>();
    test_support::Environment env{{"QUEUE_DATABASE_URL", database->url()}, {"QUEUE_OPEN_RETRY_MIN_MS", "20"}};
    for (auto& server : servers) {
      server = std::make_unique<ServerProcess>(QUEUE_SERVER_BINARY, env, dir);
      ASSERT_TRUE(server->wait_for_status("/api/v1/queue/readyz", 200)) << server->output();
    }
  }
  void TearDown() override {
    for (auto& server : servers) server.reset();
    database.reset();
  }

  test::HttpResponse call(int server, std::string_view method, const std::string& path, const std::string& body = "") {
    test::HttpClient client(servers[server]->port());
    return client.request(method, "/api/v1/queues/" + path, body, {{"Content-Type", "application/json"}});
  }
  json::array receive(int server, const std::string& queue, const std::string& options) {
    auto response = call(server, "POST", queue + "/receive", options);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.status == 200 ? response.json().at("messages").as_array() : json::array{};
  }
  void send(int server, const std::string& queue, const std::string& message) {
    auto response = call(server, "POST", queue + "/messages", R"({"messages":[)" + message + "]}");
    ASSERT_EQ(response.status, 201) << response.body;
  }
  void ack(int server, const std::string& queue, const json::value& receipt) {
    auto response = call(server, "POST", queue + "/ack", R"({"receipts":[)" + json::serialize(receipt) + "]}");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.json().at("acked"), 1) << response.body;
  }
  std::int64_t parked(int server) {
    test::HttpClient client(servers[server]->port());
    return client.get("/api/v1/queue/readyz").json().at("parked_receives").to_number<std::int64_t>();
  }

  test_support::TempDir dir;
  std::unique_ptr<TestDatabase> database;
  std::unique_ptr<ServerProcess> servers[2];
};

TEST_F(TwoProcesses, SendThroughOneAnswersALongPollWaitingInTheOther) {
  ASSERT_EQ(call(0, "PUT", "q").status, 201);
  test::HttpResponse answer;
  std::thread waiting([&] { answer = call(0, "POST", "q/receive", R"({"wait_s":20})"); });
  ASSERT_TRUE(eventually([&] { return parked(0) == 1; }));
  auto sent_at = std::chrono::steady_clock::now();
  send(1, "q", R"({"body":"across"})");
  waiting.join();
  auto waited = std::chrono::steady_clock::now() - sent_at;
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto messages = answer.json().at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("body"), "across");
  // Woken by the send (NOTIFY), not by its 20 s deadline.
  EXPECT_LT(waited, std::chrono::seconds(10));
}

TEST_F(TwoProcesses, ConsumersOnBothProcessesNeverShareAMessage) {
  ASSERT_EQ(call(0, "PUT", "work", R"({"visibility_timeout_s":120})").status, 201);
  constexpr int total = 200;
  for (int i = 0; i < total; i += 10) {
    std::string batch;
    for (int j = 0; j < 10; ++j) batch += (j ? "," : "") + std::string(R"({"body":"m)") + std::to_string(i + j) + "\"}";
    send(i / 10 % 2, "work", batch);
  }
  std::mutex mutex;
  std::map<std::string, int> deliveries;
  std::vector<std::thread> consumers;
  for (int c = 0; c < 4; ++c) {
    consumers.emplace_back([&, c] {
      int server = c % 2;
      for (;;) {
        auto messages = receive(server, "work", R"({"max":5})");
        if (messages.empty()) return;
        for (const auto& m : messages) {
          {
            std::lock_guard lock(mutex);
            ++deliveries[std::string(m.at("id").as_string())];
          }
          ack(server, "work", m.at("receipt"));
        }
      }
    });
  }
  for (auto& consumer : consumers) consumer.join();
  EXPECT_EQ(deliveries.size(), static_cast<std::size_t>(total));
  for (const auto& [id, count] : deliveries) EXPECT_EQ(count, 1) << id;
}

TEST_F(TwoProcesses, FifoGroupKeepsOrderWithSendersAndConsumersOnBoth) {
  ASSERT_EQ(call(1, "PUT", "jobs.fifo").status, 201);
  for (int i = 0; i < 10; ++i) send(i % 2, "jobs.fifo", R"({"body":")" + std::to_string(i) + R"(","group_id":"g"})");
  for (int i = 0; i < 10; ++i) {
    auto messages = receive(i % 2, "jobs.fifo", R"({"max":10})");
    ASSERT_EQ(messages.size(), 1u) << "one in flight per group";
    EXPECT_EQ(messages[0].at("body").as_string(), std::to_string(i));
    EXPECT_TRUE(receive(1 - i % 2, "jobs.fifo", R"({"max":10})").empty());
    ack(1 - i % 2, "jobs.fifo", messages[0].at("receipt"));
  }
}

TEST_F(TwoProcesses, DedupHoldsAcrossProcesses) {
  ASSERT_EQ(call(0, "PUT", "q").status, 201);
  auto first = call(0, "POST", "q/messages", R"({"messages":[{"body":"a","dedup_id":"k"}]})");
  auto again = call(1, "POST", "q/messages", R"({"messages":[{"body":"b","dedup_id":"k"}]})");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(first.json().at("messages"), again.json().at("messages"));
  EXPECT_EQ(receive(1, "q", R"({"max":10})").size(), 1u);
}

using ManyProcesses = PostgresTest;

TEST_F(ManyProcesses, TenQueueServersStartingTogetherMigrateOnce) {
  TestDatabase database;
  test_support::TempDir dir;
  constexpr int count = 10;
  std::vector<std::unique_ptr<test_support::ChildProcess>> processes;
  std::vector<unsigned short> ports;
  // Started back to back, none waiting for another: their migrations race.
  for (int i = 0; i < count; ++i) {
    ports.push_back(test_support::free_port());
    processes.push_back(std::make_unique<test_support::ChildProcess>(
        QUEUE_SERVER_BINARY, std::vector<std::string>{},
        test_support::Environment{{"QUEUE_DATABASE_URL", database.url()},
                                  {"QUEUE_OPEN_RETRY_MIN_MS", "20"},
                                  {"HOST", "127.0.0.1"},
                                  {"PORT", std::to_string(ports.back())},
                                  {"WEB_CONCURRENCY", "1"}},
        dir.file("server-" + std::to_string(i) + ".log")));
  }
  for (int i = 0; i < count; ++i) {
    ASSERT_TRUE(processes[i]->wait_for_port(ports[i], std::chrono::seconds(20))) << processes[i]->output();
    test::HttpClient client(ports[i]);
    ASSERT_TRUE(eventually([&] { return client.get("/api/v1/queue/readyz").status == 200; }))
        << processes[i]->output();
  }
  auto admin = admin_session(database.url());
  EXPECT_EQ(admin->run("SELECT count(*) FROM queue_schema_version").int64(0, 0),
            storage::postgres::schema_version);
  EXPECT_EQ(admin->run("SELECT count(DISTINCT applied_by) FROM queue_schema_version").int64(0, 0), 1);
  for (auto& process : processes) EXPECT_EQ(process->output().find("level=error"), std::string::npos);
}

}  // namespace
}  // namespace queue::testing
