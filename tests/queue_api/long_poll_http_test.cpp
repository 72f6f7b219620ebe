// Long polling over real sockets: a parked receive is woken by a send from another
// connection, times out empty, and a client hanging up leaves the server (and the
// message) fine. wait_s is whole seconds on the wire, so the timeout test waits one.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

using Clock = std::chrono::steady_clock;

class LongPollHttp : public ApiTest {
 protected:
  void prepare() override { ASSERT_EQ(client().put_queue("jobs").status, 201); }
};
QUEUE_API_INSTANTIATE(LongPollHttp);

TEST_P(LongPollHttp, ASendFromAnotherConnectionWakesTheWaiter) {
  auto waiter = std::async(std::launch::async, [port = server().port()] {
    QueueClient consumer(port);
    auto started = Clock::now();
    boost::json::array messages = consumer.receive("jobs", R"({"wait_s":20})");
    return std::make_pair(messages, Clock::now() - started);
  });
  ASSERT_TRUE(server().wait_for_parked(1)) << "the receive never parked";

  ASSERT_EQ(client().send("jobs", "wake up").status, 201);
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto [messages, waited] = waiter.get();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("body"), "wake up");
  // Answered by the send, not by the 20 s deadline.
  EXPECT_LT(waited, std::chrono::seconds(10));
  EXPECT_EQ(server().parked_receives(), 0u);
}

TEST_P(LongPollHttp, EachMessageWakesOneWaiterOnly) {
  auto wait_for_one = [port = server().port()] {
    QueueClient consumer(port);
    return consumer.receive("jobs", R"({"wait_s":20})");
  };
  auto first = std::async(std::launch::async, wait_for_one);
  auto second = std::async(std::launch::async, wait_for_one);
  ASSERT_TRUE(server().wait_for_parked(2));

  ASSERT_EQ(client().send("jobs", "one").status, 201);
  ASSERT_TRUE(server().wait_for_parked(1)) << "one waiter should have been answered, the other still wait";
  ASSERT_EQ(client().send("jobs", "two").status, 201);

  ASSERT_EQ(first.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(second.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  boost::json::array a = first.get();
  boost::json::array b = second.get();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0].at("id"), b[0].at("id"));
}

TEST_P(LongPollHttp, DeletingTheQueueAnswersItsWaitersWith404) {
  auto waiter = std::async(std::launch::async, [port = server().port()] {
    QueueClient consumer(port);
    return consumer.call("POST", queue_path("jobs", "/receive"), R"({"wait_s":20})");
  });
  ASSERT_TRUE(server().wait_for_parked(1));
  ASSERT_EQ(client().call("DELETE", queue_path("jobs")).status, 204);
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  test::HttpResponse response = waiter.get();
  EXPECT_EQ(response.status, 404) << response.body;
  EXPECT_EQ(response.json().at("error").at("code"), "queue_not_found");
}

TEST_P(LongPollHttp, AWaitWithNothingToReceiveEndsEmptyAfterWaitS) {
  auto started = Clock::now();
  boost::json::array messages = client().receive("jobs", R"({"wait_s":1})");
  auto waited = Clock::now() - started;
  EXPECT_TRUE(messages.empty());
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_EQ(server().parked_receives(), 0u);
}

TEST_P(LongPollHttp, AClientHangingUpCancelsItsWaitAndLeasesNothing) {
  {
    test::HttpClient hasty(server().port());
    std::string body = R"({"wait_s":20})";
    hasty.send_raw("POST /api/v1/queues/jobs/receive HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    ASSERT_TRUE(server().wait_for_parked(1)) << "the receive never parked";
    hasty.close();
  }
  // The server noticed and cancelled the parked receive...
  ASSERT_TRUE(server().wait_for_parked(0)) << "the hung-up receive is still parked";

  // ...so a message sent now is not leased to the departed client, and the server serves on.
  ASSERT_EQ(client().send("jobs", "for the living").status, 201);
  boost::json::array messages = client().receive("jobs");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("receive_count"), 1);
  EXPECT_EQ(client().call("GET", queue_path("jobs")).status, 200);
}

TEST_P(LongPollHttp, ShutdownAnswersParkedReceivesEmpty) {
  auto server_to_stop = std::make_unique<ApiServer>(ApiServer::Options{.engine = engine()});
  QueueClient setup(server_to_stop->port());
  ASSERT_EQ(setup.put_queue("jobs").status, 201);
  auto waiter = std::async(std::launch::async, [port = server_to_stop->port()] {
    QueueClient consumer(port);
    return consumer.call("POST", queue_path("jobs", "/receive"), R"({"wait_s":20})");
  });
  ASSERT_TRUE(server_to_stop->wait_for_parked(1));
  auto started = Clock::now();
  server_to_stop.reset();  // drains: Queue's shutdown hook answers the parked receive
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  test::HttpResponse response = waiter.get();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(response.json().at("messages").as_array().empty());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace queue_api_test
