// One process, one port, one worker pool (ADR-0066): Raptor keeps answering while
// many Queue requests are parked, because a parked request holds a Responder, not
// one of the WEB_CONCURRENCY worker threads.
//
// Until Queue's long-poll receive exists, the parked requests come from an extra
// async route on Queue's real "queues" blueprint (with its real hooks and error
// handler) that keeps each Responder until the test releases it: exactly what a
// long poll does while it waits.
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend_v2/api/app_factory.h"
#include "queue/api/app.h"
#include "queue/contract/version.h"
#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"
#include "web/server.h"

namespace {

using test_support::TempDir;

class ParkingLot {
 public:
  void park(web::Responder responder) {
    std::lock_guard lock(mutex_);
    parked_.push_back(std::move(responder));
    changed_.notify_all();
  }

  bool wait_for(std::size_t count, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return parked_.size() >= count; });
  }

  void release_all() {
    std::vector<web::Responder> parked;
    {
      std::lock_guard lock(mutex_);
      parked.swap(parked_);
    }
    for (const web::Responder& responder : parked) responder.send(web::Response::json(200, R"({"released":true})"));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<web::Responder> parked_;
};

TEST(SharedWorkerPool, RaptorAnswersWhileManyQueueRequestsAreParked) {
  constexpr std::size_t parked_requests = 64;
  constexpr unsigned web_concurrency = 2;

  TempDir dir;
  web::Config config(web::Config::Values{{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")}});
  ParkingLot lot;
  // Raptor's factory, then Queue's blueprints mounted as the factory mounts them with the flag on.
  auto app = raptor::api::create_app(config);
  for (web::Blueprint& blueprint : queue::create_queue_blueprints(config)) {
    if (blueprint.name() == "queues") {
      blueprint.route_async("GET", "/parked", [&lot](web::Request&, web::Responder responder) {
        lot.park(std::move(responder));
      });
    }
    app->register_blueprint(std::move(blueprint), queue::contract::api_mount_prefix);
  }

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

  std::vector<std::unique_ptr<test::HttpClient>> waiting;
  for (std::size_t i = 0; i < parked_requests; ++i) {
    waiting.push_back(std::make_unique<test::HttpClient>(server.port()));
    waiting.back()->send_raw("GET /api/v1/queues/parked HTTP/1.1\r\nHost: test\r\nX-Request-ID: parked-" +
                             std::to_string(i) + "\r\n\r\n");
  }
  ASSERT_TRUE(lot.wait_for(parked_requests, std::chrono::seconds(10)));

  // 64 requests parked on 2 threads, and both Raptor and Queue still answer at once.
  EXPECT_EQ(probe.get("/healthz").status, 200);
  EXPECT_EQ(probe.get("/api/v1/raptor/version").status, 200);
  EXPECT_EQ(probe.get("/api/v1/queues").status, 200);

  lot.release_all();
  for (std::size_t i = 0; i < parked_requests; ++i) {
    test::HttpResponse response = waiting[i]->read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.header("X-Request-ID"), "parked-" + std::to_string(i));
  }

  server.shutdown();
  server.wait();
}

}  // namespace
