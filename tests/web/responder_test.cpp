// Responder: first send wins, drop answers 500, on_cancel, across threads.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "web/app.h"

namespace web {
namespace {

struct Captured {
  std::mutex mutex;
  std::vector<Response> responses;
  void operator()(Response response) {
    std::lock_guard lock(mutex);
    responses.push_back(std::move(response));
  }
};

class ResponderTest : public ::testing::Test {
 protected:
  ResponderTest() {
    Blueprint bp("async", "/async");
    bp.route_async("GET", "/keep", [this](Request&, Responder responder) { kept = responder; });
    bp.route_async("GET", "/drop", [](Request&, Responder) {});
    bp.error_handler([](const Request&, const Error& error) { return Response::text(error.status, error.code); });
    app.register_blueprint(std::move(bp));
  }
  std::shared_ptr<Request> dispatch(const std::string& target) {
    auto request = std::make_shared<Request>("GET", target, Request::Headers{}, "");
    app.dispatch(request, [this](Response response) { captured(std::move(response)); });
    return request;
  }
  App app{"test", Config()};
  Captured captured;
  std::optional<Responder> kept;
};

TEST_F(ResponderTest, FirstSendWins) {
  dispatch("/async/keep");
  ASSERT_TRUE(kept.has_value());
  EXPECT_FALSE(kept->cancelled());
  kept->send(Response::text(200, "first"));
  kept->send(Response::text(201, "second"));
  kept->send_error(Error{503, codes::unavailable, "later", {}});
  ASSERT_EQ(captured.responses.size(), 1u);
  EXPECT_EQ(captured.responses[0].body, "first");
  EXPECT_TRUE(kept->cancelled());  // nothing more to send
}

TEST_F(ResponderTest, ConcurrentSendsAnswerExactlyOnce) {
  dispatch("/async/keep");
  std::vector<std::thread> senders;
  for (int i = 0; i < 8; ++i) {
    senders.emplace_back([responder = *kept, i] { responder.send(Response::text(200, std::to_string(i))); });
  }
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(captured.responses.size(), 1u);
}

TEST_F(ResponderTest, SendErrorGoesThroughTheBlueprintsHandler) {
  dispatch("/async/keep");
  kept->send_error(Error{503, codes::unavailable, "storage down", {{"Retry-After", "1"}}});
  ASSERT_EQ(captured.responses.size(), 1u);
  EXPECT_EQ(captured.responses[0].status, 503);
  EXPECT_EQ(captured.responses[0].body, "unavailable");
  EXPECT_EQ(captured.responses[0].header("Retry-After"), "1");
}

TEST_F(ResponderTest, DroppingEveryCopyAnswers500) {
  dispatch("/async/drop");
  ASSERT_EQ(captured.responses.size(), 1u);
  EXPECT_EQ(captured.responses[0].status, 500);
  EXPECT_EQ(captured.responses[0].body, "internal_error");

  dispatch("/async/keep");
  EXPECT_EQ(captured.responses.size(), 1u);
  kept.reset();
  ASSERT_EQ(captured.responses.size(), 2u);
  EXPECT_EQ(captured.responses[1].status, 500);
}

TEST_F(ResponderTest, OnCancelRunsOnceWhenTheClientLeaves) {
  auto request = dispatch("/async/keep");
  std::atomic<int> cancels{0};
  kept->on_cancel([&] { ++cancels; });
  request->cancel();
  request->cancel();
  EXPECT_EQ(cancels, 1);
  EXPECT_TRUE(kept->cancelled());
  kept->on_cancel([&] { ++cancels; });  // registered after the fact: runs at once
  EXPECT_EQ(cancels, 2);
  kept->send(Response::text(200, "nobody listens"));  // harmless
}

TEST_F(ResponderTest, OnCancelNeverRunsAfterTheAnswer) {
  auto request = dispatch("/async/keep");
  bool cancelled = false;
  kept->on_cancel([&] { cancelled = true; });
  kept->send(Response::text(200, "done"));
  request->cancel();
  EXPECT_FALSE(cancelled);
}

TEST_F(ResponderTest, CancelRacingSendFromThreadsIsSafe) {
  for (int round = 0; round < 50; ++round) {
    auto request = dispatch("/async/keep");
    std::atomic<int> cancels{0};
    kept->on_cancel([&] { ++cancels; });
    std::thread sender([responder = *kept] { responder.send(Response::text(200, "x")); });
    std::thread canceller([request] { request->cancel(); });
    sender.join();
    canceller.join();
    EXPECT_LE(cancels, 1);
    kept.reset();
  }
  EXPECT_EQ(captured.responses.size(), 50u);
}

}  // namespace
}  // namespace web
