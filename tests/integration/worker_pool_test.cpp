// One process, one port, one worker pool (ADR-0066): Raptor keeps answering while
// many Queue long polls are parked, because a parked receive holds a Responder and a
// slot in Queue's waiter registry, not one of the WEB_CONCURRENCY worker threads.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backend_v2/api/app_factory.h"
#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"
#include "web/server.h"

namespace {

using test_support::TempDir;

TEST(SharedWorkerPool, RaptorAnswersWhileManyQueueRequestsAreParked) {
  constexpr std::size_t parked_requests = 64;
  constexpr unsigned web_concurrency = 2;

  TempDir dir;
  web::Config config(web::Config::Values{{"FLAG_QUEUE_V1", "1"},
                                         {"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")}});
  auto app = raptor::api::create_app(config);

  web::ServerOptions options;
  options.port = 0;
  options.threads = web_concurrency;
  web::Server server(*app, options);
  server.start();

  test::HttpClient probe(server.port(), std::chrono::seconds(5));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (probe.get("/api/v1/queue/readyz").status != 200) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "Queue never became ready";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  ASSERT_EQ(probe.put("/api/v1/queues/jobs", "").status, 201);

  // 64 real long polls (wait_s=20), more than 30 times the worker threads.
  const std::string receive_body = R"({"max":1,"wait_s":20})";
  std::vector<std::unique_ptr<test::HttpClient>> waiting;
  for (std::size_t i = 0; i < parked_requests; ++i) {
    waiting.push_back(std::make_unique<test::HttpClient>(server.port(), std::chrono::seconds(30)));
    waiting.back()->send_raw("POST /api/v1/queues/jobs/receive HTTP/1.1\r\nHost: test\r\n"
                             "Content-Type: application/json\r\nX-Request-ID: parked-" + std::to_string(i) +
                             "\r\nContent-Length: " + std::to_string(receive_body.size()) + "\r\n\r\n" +
                             receive_body);
  }
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto ready = probe.get("/api/v1/queue/readyz");
    if (ready.status == 200 && ready.json().at("parked_receives").to_number<std::size_t>() == parked_requests) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the long polls never all parked";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // 64 requests parked on 2 threads, and both Raptor and Queue still answer at once.
  EXPECT_EQ(probe.get("/healthz").status, 200);
  EXPECT_EQ(probe.get("/api/v1/raptor/version").status, 200);
  EXPECT_EQ(probe.get("/api/v1/queues").status, 200);

  // One message per waiter wakes every one of them, each with its own message.
  boost::json::array messages;
  for (std::size_t i = 0; i < parked_requests; ++i) messages.push_back(boost::json::object{{"body", "m" + std::to_string(i)}});
  ASSERT_EQ(probe.post_json("/api/v1/queues/jobs/messages", {{"messages", messages}}).status, 201);
  std::set<std::string> bodies;
  for (std::size_t i = 0; i < parked_requests; ++i) {
    test::HttpResponse response = waiting[i]->read_response();
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.header("X-Request-ID"), "parked-" + std::to_string(i));
    const boost::json::value document = response.json();
    const auto& received = document.at("messages").as_array();
    ASSERT_EQ(received.size(), 1u);
    bodies.insert(std::string(received[0].at("body").as_string()));
  }
  EXPECT_EQ(bodies.size(), parked_requests);

  server.shutdown();
  server.wait();
}

}  // namespace
