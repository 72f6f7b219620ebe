// web::Server over real loopback sockets, on an ephemeral port.
#include "web/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/http_client.h"
#include "web/json.h"

namespace web {
namespace {

using namespace std::chrono_literals;

// Responders parked by an async route, answered when the test says so.
class ParkingLot {
 public:
  void park(Responder responder) {
    {
      std::lock_guard lock(mutex_);
      parked_.push_back(std::move(responder));
    }
    changed_.notify_all();
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds within = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, within, [&] { return parked_.size() >= count; });
  }
  void answer_all(int status = 200) {
    std::vector<Responder> parked;
    {
      std::lock_guard lock(mutex_);
      parked.swap(parked_);
    }
    for (auto& responder : parked) responder.send(Response::text(status, "released"));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Responder> parked_;
};

Blueprint queue_like_blueprint(ParkingLot& lot) {
  Blueprint bp("queues", "/queues");
  bp.route("GET", "/{queue}", [](Request& request) {
    return json(200, {{"queue", request.param("queue")}});
  });
  bp.route("POST", "/{queue}/messages", [](Request& request) {
    return json(201, {{"bytes", request.body().size()}});
  });
  bp.route_async("GET", "/{queue}/wait", [&lot](Request&, Responder responder) { lot.park(std::move(responder)); });
  bp.error_handler([](const Request& request, const Error& error) {
    return json(error.status, {{"queue_error", error.code}, {"request_id", request.request_id()}});
  });
  return bp;
}

ServerOptions test_options() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 2048;
  options.read_timeout = 2s;
  options.idle_timeout = 5s;
  options.drain_timeout = 2s;
  return options;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = test_options()) {
    Blueprint health("health");
    health.route("GET", "/healthz", [](Request&) { return json(200, {{"ok", true}}); });
    app_.register_blueprint(std::move(health));
    app_.register_blueprint(queue_like_blueprint(lot_), "/api/v1");
    server_ = std::make_unique<Server>(app_, options);
    server_->start();
  }
  void TearDown() override {
    lot_.answer_all();
    if (server_) {
      server_->shutdown();
      server_->wait();
    }
  }
  std::string raw_get(std::string_view target, std::string_view extra = "") {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
  }

  ParkingLot lot_;
  App app_{"test", Config()};
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, AnswersAndStampsRequestId) {
  start();
  test::HttpClient client(server_->port());
  auto response = client.get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.json().at("ok"), true);
  EXPECT_EQ(response.header("X-Request-ID").size(), 32u);
  EXPECT_EQ(response.header("Content-Type"), "application/json");

  auto traced = client.get("/healthz", {{"X-Request-ID", "trace-abc.1:2"}});
  EXPECT_EQ(traced.header("X-Request-ID"), "trace-abc.1:2");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  test::HttpClient client(server_->port());
  client.connect();
  client.send_raw(raw_get("/api/v1/queues/a"));
  auto first = client.read_response();
  ASSERT_TRUE(client.connected());
  client.send_raw(raw_get("/api/v1/queues/b"));
  auto second = client.read_response();  // throws if the server had closed the connection
  EXPECT_EQ(first.json().at("queue"), "a");
  EXPECT_EQ(second.json().at("queue"), "b");
  EXPECT_FALSE(second.closes_connection());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/api/v1/queues/one") + raw_get("/api/v1/queues/two"));
  EXPECT_EQ(client.read_response().json().at("queue"), "one");
  EXPECT_EQ(client.read_response().json().at("queue"), "two");
}

TEST_F(ServerTest, HeadAnswersLengthWithoutBody) {
  start();
  test::HttpClient client(server_->port());
  auto head = client.head("/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(std::string_view(R"({"ok":true})").size()));
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(client.get("/healthz").status, 200);  // the connection is still in step
}

TEST_F(ServerTest, HttpOneZeroAndConnectionCloseCloseAfterTheResponse) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 200);
  EXPECT_TRUE(client.wait_closed(2s));

  client.send_raw(raw_get("/healthz", "Connection: close\r\n"));
  auto response = client.read_response();
  EXPECT_TRUE(response.closes_connection());
  EXPECT_TRUE(client.wait_closed(2s));
}

TEST_F(ServerTest, OversizedBodyGets413FromTheOwningBlueprintThenClose) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw("POST /api/v1/queues/q/messages HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n" +
                  std::string(4096, 'x'));
  auto response = client.read_response();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.json().at("queue_error"), "payload_too_large");  // the blueprint's format
  EXPECT_FALSE(response.header("X-Request-ID").empty());
  EXPECT_TRUE(response.closes_connection());
  EXPECT_TRUE(client.wait_closed(3s));

  EXPECT_EQ(client.post("/api/v1/queues/q/messages", std::string(1000, 'x')).status, 201);
}

TEST_F(ServerTest, OversizedChunkedBodyGets413) {
  start();
  test::HttpClient client(server_->port());
  std::string chunk(800, 'x');
  client.send_raw("POST /api/v1/queues/q/messages HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  auto response = client.read_response();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.json().at("queue_error"), "payload_too_large");
}

TEST_F(ServerTest, OversizedBodyOutsideBlueprintsGets413FromTheApp) {
  start();
  test::HttpClient client(server_->port());
  auto response = client.post("/elsewhere", std::string(4096, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.json().at("error").at("code"), "payload_too_large");
}

TEST_F(ServerTest, OversizedHeadersGet431ThenClose) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/healthz", "X-Padding: " + std::string(4096, 'p') + "\r\n"));
  auto response = client.read_response();
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.json().at("error").at("code"), "request_header_fields_too_large");
  EXPECT_TRUE(client.wait_closed(3s));
}

TEST_F(ServerTest, MalformedRequestGets400AndClose) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw("THIS IS NOT HTTP\r\n\r\n");
  auto response = client.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.json().at("error").at("code"), "bad_request");
  EXPECT_TRUE(client.wait_closed(3s));
}

TEST_F(ServerTest, InvalidTargetGets400) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/bad%zzescape"));
  auto response = client.read_response();
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.json().at("error").at("code"), "bad_request");
}

TEST_F(ServerTest, SlowClientIsDisconnectedAfterReadTimeout) {
  ServerOptions options = test_options();
  options.read_timeout = 300ms;
  start(options);
  test::HttpClient client(server_->port());
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: slow\r\n");  // the head never ends
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
}

TEST_F(ServerTest, SilentNewConnectionIsClosedAfterReadTimeoutNotIdleTimeout) {
  ServerOptions options = test_options();
  options.read_timeout = 300ms;
  options.idle_timeout = 60s;
  start(options);
  test::HttpClient client(server_->port());
  client.connect();
  EXPECT_TRUE(client.wait_closed(3s));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options = test_options();
  options.idle_timeout = 300ms;
  start(options);
  test::HttpClient client(server_->port());
  EXPECT_EQ(client.get("/healthz").status, 200);
  EXPECT_TRUE(client.wait_closed(3s));
}

TEST_F(ServerTest, BusyKeepAliveConnectionOutlivesItsFirstDeadlinesThenIdlesOut) {
  // Each request moves the deadline later without re-arming the timer: the timer fires
  // at the first deadline, finds it moved on, and waits again; the connection stays up
  // while busy and still closes once idle_timeout passes without a request.
  // The gaps between requests are a tenth of the timeout: a sanitizer build on a loaded
  // 2-core CI machine once stretched a 50 ms gap past a 200 ms timeout.
  ServerOptions options = test_options();
  options.read_timeout = 600ms;
  options.idle_timeout = 600ms;
  start(options);
  test::HttpClient client(server_->port());
  client.connect();
  const auto busy_until = std::chrono::steady_clock::now() + 2000ms;
  while (std::chrono::steady_clock::now() < busy_until) {
    client.send_raw(raw_get("/healthz"));
    ASSERT_EQ(client.read_response().status, 200);  // throws if the server closed the connection
    std::this_thread::sleep_for(60ms);
  }
  const auto idle_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - idle_since, 500ms);
}

TEST_F(ServerTest, RequestArrivingInPiecesIsReadWhole) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw("POST /api/v1/queues/q/mess");
  std::this_thread::sleep_for(20ms);
  client.send_raw("ages HTTP/1.1\r\nHost: t\r\nContent-");
  std::this_thread::sleep_for(20ms);
  client.send_raw("Length: 10\r\n\r\nhello");
  std::this_thread::sleep_for(20ms);
  client.send_raw("world");
  auto response = client.read_response();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.json().at("bytes"), 10);
}

TEST_F(ServerTest, ManyPipelinedRequestsAreAnsweredInOrder) {
  start();
  test::HttpClient client(server_->port());
  std::string pipeline;
  for (int i = 0; i < 300; ++i) pipeline += raw_get("/api/v1/queues/q" + std::to_string(i));
  client.send_raw(pipeline);
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(client.read_response().json().at("queue").as_string(), "q" + std::to_string(i));
  }
}

TEST_F(ServerTest, AnswerLargerThanTheSocketTakesAtOnceArrivesWhole) {
  // The first send takes what fits in the socket's buffer; the rest is written as the client reads.
  const std::string big(8 * 1024 * 1024, 'b');
  Blueprint bp("big");
  bp.route("GET", "/big", [&big](Request&) { return Response::text(200, big); });
  app_.register_blueprint(std::move(bp));
  start();
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/big"));
  std::this_thread::sleep_for(100ms);  // the server fills the socket and waits
  auto response = client.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), big.size());
  EXPECT_EQ(response.body, big);
  EXPECT_EQ(client.get("/healthz").status, 200);  // and the connection goes on
}

TEST_F(ServerTest, ClientNotReadingALargeAnswerIsDisconnectedAfterWriteTimeout) {
  // More than loopback's socket buffers hold (a few MiB each way).
  const std::string big(16 * 1024 * 1024, 'b');
  Blueprint bp("big");
  bp.route("GET", "/big", [&big](Request&) { return Response::text(200, big); });
  app_.register_blueprint(std::move(bp));
  ServerOptions options = test_options();
  options.write_timeout = 300ms;
  start(options);
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/big"));
  // Reads nothing meanwhile: long enough for the handler (slow under sanitizers) and write_timeout.
  std::this_thread::sleep_for(3s);
  EXPECT_TRUE(client.wait_closed(5s));  // what was sent is discarded, then the close is seen
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw(
      "POST /api/v1/queues/q/messages HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_response().status, 100);
  client.send_raw("hello");
  auto response = client.read_response();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.json().at("bytes"), 5);
}

TEST_F(ServerTest, AsyncHandlerAnswersFromAnotherThreadLater) {
  start();
  test::HttpClient client(server_->port());
  std::thread answerer([&] {
    ASSERT_TRUE(lot_.wait_for(1));
    std::this_thread::sleep_for(50ms);  // the answer comes after the handler returned
    lot_.answer_all(202);
  });
  auto response = client.get("/api/v1/queues/q/wait");
  answerer.join();
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, "released");
  EXPECT_FALSE(response.header("X-Request-ID").empty());
  EXPECT_EQ(client.get("/api/v1/queues/q").status, 200);  // the connection goes on
}

// GET /wait parks its request in `lot` and fulfils `cancelled` when the client goes away.
Blueprint cancellable_waiter(ParkingLot& lot, std::promise<void>& cancelled) {
  Blueprint bp("waiter");
  bp.route_async("GET", "/wait", [&lot, &cancelled](Request&, Responder responder) {
    responder.on_cancel([&cancelled] { cancelled.set_value(); });
    lot.park(responder);
  });
  return bp;
}

TEST_F(ServerTest, ClientHangingUpOnAParkedRequestFiresOnCancel) {
  std::promise<void> cancelled;
  app_.register_blueprint(cancellable_waiter(lot_, cancelled));
  start();

  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/wait"));
  ASSERT_TRUE(lot_.wait_for(1));
  client.close();
  EXPECT_EQ(cancelled.get_future().wait_for(3s), std::future_status::ready);
}

TEST_F(ServerTest, ClientHalfClosingAParkedRequestCancelsItAndStillGetsTheAnswer) {
  // How a stopped long poll ends (queue/remote): the handler may be answering with
  // messages it already leased, and that answer must reach the client.
  std::promise<void> cancelled;
  app_.register_blueprint(cancellable_waiter(lot_, cancelled));
  start();

  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/wait"));
  ASSERT_TRUE(lot_.wait_for(1));
  client.finish_sending();
  ASSERT_EQ(cancelled.get_future().wait_for(3s), std::future_status::ready);
  lot_.answer_all(200);  // the answer the handler was giving as the FIN arrived
  test::HttpResponse response = client.read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "released");
  EXPECT_TRUE(client.wait_closed(3s));  // nothing more can come from that client
}

TEST_F(ServerTest, BytesPipelinedWhileParkedAreServedAfterTheAnswer) {
  start();
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/api/v1/queues/q/wait"));
  ASSERT_TRUE(lot_.wait_for(1));
  client.send_raw(raw_get("/api/v1/queues/next"));
  std::this_thread::sleep_for(50ms);  // let the server read the pipelined request while parked
  lot_.answer_all();
  EXPECT_EQ(client.read_response().status, 200);
  EXPECT_EQ(client.read_response().json().at("queue"), "next");
}

TEST_F(ServerTest, RequestsAnsweredLaterKeepTheConnectionInStep) {
  // The read watching a parked request for a hang-up goes on to read the next request.
  start();
  test::HttpClient client(server_->port());
  client.connect();
  for (int i = 0; i < 20; ++i) {
    client.send_raw(raw_get("/api/v1/queues/q/wait"));
    ASSERT_TRUE(lot_.wait_for(1));
    lot_.answer_all(200 + i % 2);
    ASSERT_EQ(client.read_response().status, 200 + i % 2);
    client.send_raw(raw_get("/api/v1/queues/q" + std::to_string(i)));
    ASSERT_EQ(client.read_response().json().at("queue").as_string(), "q" + std::to_string(i));
  }
}

TEST_F(ServerTest, ConnectionAnsweredLaterStillIdlesOut) {
  ServerOptions options = test_options();
  options.idle_timeout = 300ms;
  start(options);
  test::HttpClient client(server_->port());
  client.send_raw(raw_get("/api/v1/queues/q/wait"));
  ASSERT_TRUE(lot_.wait_for(1));
  lot_.answer_all();
  EXPECT_EQ(client.read_response().status, 200);
  const auto answered = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - answered, 250ms);
}

TEST_F(ServerTest, ParkedRequestsDoNotHoldWorkerThreads) {
  ServerOptions options = test_options();
  options.threads = 2;
  start(options);
  constexpr std::size_t kParked = 50;
  std::vector<std::unique_ptr<test::HttpClient>> waiters;
  for (std::size_t i = 0; i < kParked; ++i) {
    waiters.push_back(std::make_unique<test::HttpClient>(server_->port()));
    waiters.back()->send_raw(raw_get("/api/v1/queues/q/wait"));
  }
  ASSERT_TRUE(lot_.wait_for(kParked));

  test::HttpClient client(server_->port());
  EXPECT_EQ(client.get("/healthz").status, 200);

  lot_.answer_all();
  for (auto& waiter : waiters) EXPECT_EQ(waiter->read_response().status, 200);
}

TEST_F(ServerTest, HandlerExceptionGives500AndTheServerKeepsServing) {
  Blueprint bp("boom");
  bp.route("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret detail"); });
  app_.register_blueprint(std::move(bp));
  start();
  test::HttpClient client(server_->port());
  auto response = client.get("/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret detail"), std::string::npos);
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(ServerTest, PortInUseIsAClearError) {
  start();
  App other("other", Config());
  ServerOptions options = test_options();
  options.port = server_->port();
  Server second(other, options);
  try {
    second.start();
    FAIL() << "second bind succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(server_->port())),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ServerTest, BadHostIsAClearError) {
  ServerOptions options = test_options();
  options.host = "not an address";
  Server server(app_, options);
  EXPECT_THROW(server.start(), std::runtime_error);
}

TEST(ServerServingInfo, BlueprintSeesLoopbackAndMayRefuse) {
  for (const auto& [host, loopback] : std::vector<std::pair<std::string, bool>>{
           {"127.0.0.1", true}, {"localhost", true}, {"0.0.0.0", false}}) {
    App app("info", Config());
    std::optional<ServingInfo> seen;
    Blueprint bp("picky");
    bp.before_serving([&seen](const ServingInfo& info) {
      seen = info;
      if (!info.loopback) throw std::runtime_error("needs auth off loopback");
    });
    app.register_blueprint(std::move(bp));
    ServerOptions options = test_options();
    options.host = host;
    Server server(app, options);
    if (loopback) {
      server.start();
      server.shutdown();
      server.wait();
    } else {
      try {
        server.start();
        FAIL() << "served on " << host;
      } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("needs auth off loopback"), std::string::npos) << e.what();
      }
    }
    ASSERT_TRUE(seen.has_value()) << host;
    EXPECT_EQ(seen->loopback, loopback) << host;
    EXPECT_NE(seen->port, 0) << host;
  }
}

}  // namespace
}  // namespace web
