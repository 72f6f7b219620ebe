// Graceful shutdown: in-flight requests finish and are written, then the server stops.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "tests/support/http_client.h"
#include "web/json.h"
#include "web/server.h"

namespace web {
namespace {

using namespace std::chrono_literals;

ServerOptions shutdown_options() {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.read_timeout = 2s;
  options.drain_timeout = 3s;
  return options;
}

// An async route whose Responders are kept until an on_shutdown hook answers them,
// as Queue's long polls are.
struct LongPolls {
  std::mutex mutex;
  std::vector<Responder> waiting;
  std::promise<void> one_parked;

  Blueprint blueprint() {
    Blueprint bp("polls", "/polls");
    bp.route_async("GET", "", [this](Request&, Responder responder) {
      std::lock_guard lock(mutex);
      waiting.push_back(std::move(responder));
      if (waiting.size() == 1) one_parked.set_value();
    });
    bp.route("GET", "/now", [](Request&) { return json(200, {{"now", true}}); });
    bp.on_shutdown([this] {
      std::vector<Responder> answering;
      {
        std::lock_guard lock(mutex);
        answering.swap(waiting);
      }
      for (auto& responder : answering) responder.send(json(200, {{"messages", boost::json::array()}}));
    });
    return bp;
  }
};

TEST(ServerShutdown, ParkedRequestIsAnsweredByOnShutdownThenServerStops) {
  LongPolls polls;
  App app("app", Config());
  app.register_blueprint(polls.blueprint());
  Server server(app, shutdown_options());
  server.start();

  test::HttpClient idle(server.port());
  EXPECT_EQ(idle.get("/polls/now").status, 200);  // a kept-alive connection, idle at shutdown

  test::HttpClient client(server.port());
  auto parked = polls.one_parked.get_future();
  auto response = std::async(std::launch::async, [&] { return client.get("/polls"); });
  ASSERT_EQ(parked.wait_for(3s), std::future_status::ready);

  auto started = std::chrono::steady_clock::now();
  server.shutdown();
  server.wait();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);  // did not wait for drain_timeout

  auto answered = response.get();
  EXPECT_EQ(answered.status, 200);
  EXPECT_TRUE(answered.json().at("messages").is_array());
  EXPECT_TRUE(answered.closes_connection());
  EXPECT_TRUE(idle.wait_closed(1s));
}

TEST(ServerShutdown, InFlightRequestAnsweredLaterCompletesBeforeStop) {
  App app("app", Config());
  std::promise<Responder> parked;
  Blueprint bp("slow");
  bp.route_async("GET", "/slow", [&](Request&, Responder responder) { parked.set_value(responder); });
  app.register_blueprint(std::move(bp));
  Server server(app, shutdown_options());
  server.start();

  test::HttpClient client(server.port());
  auto response = std::async(std::launch::async, [&] { return client.get("/slow"); });
  auto responder_future = parked.get_future();
  ASSERT_EQ(responder_future.wait_for(3s), std::future_status::ready);
  Responder responder = responder_future.get();

  std::thread late([responder] {
    std::this_thread::sleep_for(200ms);
    responder.send(Response::text(200, "finally"));
  });
  server.shutdown();
  server.wait();  // returns only after the late answer was written
  late.join();

  auto answered = response.get();
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.body, "finally");
  EXPECT_TRUE(answered.closes_connection());
}

TEST(ServerShutdown, DrainTimeoutForceClosesAndCancelsWhatRemains) {
  App app("app", Config());
  std::promise<void> parked;
  std::promise<void> cancelled;
  std::mutex mutex;
  std::optional<Responder> kept;
  Blueprint bp("stuck");
  bp.route_async("GET", "/stuck", [&](Request&, Responder responder) {
    responder.on_cancel([&] { cancelled.set_value(); });
    std::lock_guard lock(mutex);
    kept = responder;
    parked.set_value();
  });
  app.register_blueprint(std::move(bp));
  ServerOptions options = shutdown_options();
  options.drain_timeout = 200ms;
  Server server(app, options);
  server.start();

  test::HttpClient client(server.port());
  client.send_raw("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(parked.get_future().wait_for(3s), std::future_status::ready);
  server.shutdown();
  server.wait();
  EXPECT_EQ(cancelled.get_future().wait_for(1s), std::future_status::ready);
  EXPECT_TRUE(client.wait_closed(1s));

  std::lock_guard lock(mutex);
  kept->send(Response::text(200, "too late"));  // goes nowhere, harmlessly
}

TEST(ServerShutdown, ShutdownIsIdempotentAndSafeBeforeStart) {
  App app("app", Config());
  Server never_started(app, shutdown_options());
  never_started.shutdown();
  never_started.wait();

  Server server(app, shutdown_options());
  server.start();
  std::thread other([&] { server.shutdown(); });
  server.shutdown();
  other.join();
  server.wait();
  server.wait();
}

TEST(ServerShutdown, DestructorDrainsARunningServer) {
  App app("app", Config());
  Blueprint bp("health");
  bp.route("GET", "/healthz", [](Request&) { return Response::text(200, "ok"); });
  app.register_blueprint(std::move(bp));
  unsigned short port = 0;
  {
    Server server(app, shutdown_options());
    server.start();
    port = server.port();
    test::HttpClient client(port);
    EXPECT_EQ(client.get("/healthz").status, 200);
  }
  test::HttpClient client(port);
  EXPECT_THROW(client.get("/healthz"), std::runtime_error);  // nobody listens any more
}

TEST(ServerShutdown, RunUntilSignalReturnsZeroOnSigterm) {
  App app("app", Config());
  Server server(app, shutdown_options());
  std::thread signaller([&server] {
    // The port is set once listening, after the signal handlers are installed.
    while (server.port() == 0) std::this_thread::sleep_for(5ms);
    test::HttpClient client(server.port());
    EXPECT_EQ(client.get("/nowhere").status, 404);
    ::kill(::getpid(), SIGTERM);
  });
  EXPECT_EQ(server.run_until_signal(), 0);
  signaller.join();
}

}  // namespace
}  // namespace web
