// POST /receive with "ack": the receipts are acked before the lease, in the same
// commit, and answered under "acks" exactly as POST /ack answers them.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include <boost/json/serialize.hpp>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

class ReceiveAcksHttp : public ApiTest {
 protected:
  void prepare() override { ASSERT_EQ(client().put_queue("jobs").status, 201); }

  std::string receive_one(std::string_view queue) {
    boost::json::array received = client().receive(queue, R"({"max":1})");
    EXPECT_EQ(received.size(), 1u);
    return received.empty() ? "" : std::string(received[0].at("receipt").as_string());
  }
  boost::json::value stats(std::string_view queue) { return client().call("GET", queue_path(queue)).json().at("stats"); }
};
QUEUE_API_INSTANTIATE(ReceiveAcksHttp);

TEST_P(ReceiveAcksHttp, AcksAreAnsweredAsTheAckRouteAnswersThemBesideTheMessages) {
  ASSERT_EQ(client().send("jobs", "a").status, 201);
  ASSERT_EQ(client().send("jobs", "b").status, 201);
  std::string a = receive_one("jobs");

  test::HttpResponse response =
      client().call("POST", queue_path("jobs", "/receive"), R"({"max":10,"ack":[")" + a + R"(","garbage"]})");
  ASSERT_EQ(response.status, 200) << response.body;
  boost::json::value answer = response.json();
  EXPECT_EQ(boost::json::serialize(answer.at("acks")),
            R"({"acked":1,"failed":[{"receipt":"garbage","code":"receipt_invalid"}]})");
  ASSERT_EQ(answer.at("messages").as_array().size(), 1u);
  EXPECT_EQ(answer.at("messages").at(0).at("body"), "b");
  EXPECT_EQ(stats("jobs").at("in_flight"), 1);  // b; a is gone

  // Acked already: stale, reported per receipt like /ack does, and the receive goes on.
  test::HttpResponse again =
      client().call("POST", queue_path("jobs", "/receive"), R"({"ack":[")" + a + R"("]})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(boost::json::serialize(again.json().at("acks")),
            R"({"acked":0,"failed":[{"receipt":")" + a + R"(","code":"receipt_invalid"}]})");
  EXPECT_TRUE(again.json().at("messages").as_array().empty());
}

TEST_P(ReceiveAcksHttp, APlainReceiveAnswersNoAcks) {
  ASSERT_EQ(client().send("jobs", "a").status, 201);
  test::HttpResponse response = client().call("POST", queue_path("jobs", "/receive"), R"({"max":1})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_FALSE(response.json().as_object().contains("acks"));
}

TEST_P(ReceiveAcksHttp, ABadAckFieldIs400AndAcksNothing) {
  ASSERT_EQ(client().send("jobs", "a").status, 201);
  std::string a = receive_one("jobs");
  std::string too_many = R"({"ack":[)";
  for (int i = 0; i < 101; ++i) too_many += (i == 0 ? "\"" : ",\"") + a + "\"";
  for (const std::string& body : {too_many + "]}", std::string(R"({"ack":[]})"),
                                  R"({"ack":[")" + a + R"(",7]})", R"({"ack":")" + a + R"("})"}) {
    test::HttpResponse response = client().call("POST", queue_path("jobs", "/receive"), body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(response.json().at("error").at("code"), "invalid_request") << response.body;
  }
  EXPECT_EQ(stats("jobs").at("in_flight"), 1);
}

TEST_P(ReceiveAcksHttp, AnAckedGroupHeadLetsTheSameCallReceiveTheGroupsNext) {
  ASSERT_EQ(client().put_queue("orders.fifo").status, 201);
  ASSERT_EQ(client().call("POST", queue_path("orders.fifo", "/messages"),
                          R"({"messages":[{"body":"a1","group_id":"a"},{"body":"a2","group_id":"a"}]})")
                .status,
            201);
  std::string a1 = receive_one("orders.fifo");
  boost::json::array next =
      client().receive("orders.fifo", R"({"max":10,"ack":[")" + a1 + R"("]})");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].at("body"), "a2");
}

TEST_P(ReceiveAcksHttp, ALongPollCommitsItsAcksBeforeItWaitsAndAnswersThemWhenWoken) {
  ASSERT_EQ(client().send("jobs", "a").status, 201);
  std::string a = receive_one("jobs");
  auto waiter = std::async(std::launch::async, [port = server().port(), a] {
    QueueClient consumer(port);
    return consumer.call("POST", queue_path("jobs", "/receive"), R"({"wait_s":20,"ack":[")" + a + R"("]})");
  });
  ASSERT_TRUE(server().wait_for_parked(1)) << "the receive never parked";
  EXPECT_EQ(stats("jobs").at("in_flight"), 0) << "acked before the answer";
  EXPECT_EQ(stats("jobs").at("visible"), 0);

  ASSERT_EQ(client().send("jobs", "b").status, 201);
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  test::HttpResponse response = waiter.get();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(boost::json::serialize(response.json().at("acks")), R"({"acked":1,"failed":[]})");
  ASSERT_EQ(response.json().at("messages").as_array().size(), 1u);
  EXPECT_EQ(response.json().at("messages").at(0).at("body"), "b");
}

}  // namespace
}  // namespace queue_api_test
