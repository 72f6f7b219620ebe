// Producing and consuming over HTTP: send, receive, ack, visibility, with FIFO
// groups, deduplication, all-or-nothing batches and the size limit.
#include <gtest/gtest.h>

#include <set>

#include <boost/json/serialize.hpp>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

class MessagesHttp : public ApiTest {
 protected:
  void prepare() override { ASSERT_EQ(client().put_queue("jobs").status, 201); }

  std::string error_code(const test::HttpResponse& response) {
    return std::string(response.json().at("error").at("code").as_string());
  }
  boost::json::value stats(std::string_view queue) { return client().call("GET", queue_path(queue)).json().at("stats"); }
};
QUEUE_API_INSTANTIATE(MessagesHttp);

TEST_P(MessagesHttp, SendAnswersIdsInRequestOrder) {
  test::HttpResponse sent =
      client().call("POST", queue_path("jobs", "/messages"), R"({"messages":[{"body":"a"},{"body":"b"},{"body":"c"}]})");
  ASSERT_EQ(sent.status, 201) << sent.body;
  boost::json::array ids = sent.json().at("messages").as_array();
  ASSERT_EQ(ids.size(), 3u);

  boost::json::array received = client().receive("jobs");
  ASSERT_EQ(received.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(received[i].at("id"), ids[i].at("id"));
    EXPECT_EQ(received[i].at("body").as_string(), std::string(1, static_cast<char>('a' + i)));
  }
}

TEST_P(MessagesHttp, ReceivedMessagesCarryEverythingNeeded) {
  ASSERT_EQ(client().call("POST", queue_path("jobs", "/messages"),
                        R"({"messages":[{"body":"h\u00e9llo \u2603","attributes":{"trace":"t-1"}}]})")
                .status,
            201);
  boost::json::array received = client().receive("jobs", R"({"max":1,"visibility_timeout_s":60})");
  ASSERT_EQ(received.size(), 1u);
  const boost::json::object& message = received[0].as_object();
  EXPECT_EQ(message.at("body"), "h\xc3\xa9llo \xe2\x98\x83");
  EXPECT_EQ(message.at("attributes").at("trace"), "t-1");
  EXPECT_EQ(message.at("receive_count"), 1);
  EXPECT_FALSE(std::string(message.at("receipt").as_string()).empty());
  EXPECT_TRUE(message.at("sent_at").is_string());
  EXPECT_FALSE(message.contains("group_id"));
  EXPECT_EQ(stats("jobs").at("in_flight"), 1);
  EXPECT_TRUE(client().receive("jobs").empty());
}

TEST_P(MessagesHttp, AnEmptyReceiveBodyMeansOneMessageNoWait) {
  for (int i = 0; i < 2; ++i) ASSERT_EQ(client().send("jobs", "m").status, 201);
  test::HttpResponse response = client().call("POST", queue_path("jobs", "/receive"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("messages").as_array().size(), 1u);
}

TEST_P(MessagesHttp, AckDeletesAndAStaleReceiptFailsPerReceipt) {
  ASSERT_EQ(client().send("jobs", "m").status, 201);
  boost::json::array received = client().receive("jobs");
  ASSERT_EQ(received.size(), 1u);
  std::string receipt(received[0].at("receipt").as_string());

  test::HttpResponse acked = client().ack("jobs", receipt);
  ASSERT_EQ(acked.status, 200) << acked.body;
  EXPECT_EQ(boost::json::serialize(acked.json()), R"({"acked":1,"failed":[]})");

  test::HttpResponse again = client().call("POST", queue_path("jobs", "/ack"),
                                         R"({"receipts":[")" + receipt + R"(","garbage"]})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(boost::json::serialize(again.json()),
            R"({"acked":0,"failed":[{"receipt":")" + receipt +
                R"(","code":"receipt_invalid"},{"receipt":"garbage","code":"receipt_invalid"}]})");
  EXPECT_EQ(stats("jobs").at("in_flight"), 0);
  EXPECT_EQ(stats("jobs").at("visible"), 0);
}

TEST_P(MessagesHttp, VisibilityZeroReleasesAtOnceAndStalesTheReceipt) {
  ASSERT_EQ(client().send("jobs", "m").status, 201);
  std::string receipt(client().receive("jobs")[0].at("receipt").as_string());

  std::string change = R"({"receipts":[")" + receipt + R"("],"visibility_timeout_s":0})";
  test::HttpResponse released = client().call("POST", queue_path("jobs", "/visibility"), change);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(boost::json::serialize(released.json()), R"({"updated":1,"failed":[]})");

  boost::json::array again = client().receive("jobs");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].at("receive_count"), 2);
  EXPECT_NE(again[0].at("receipt"), boost::json::value(receipt));

  test::HttpResponse stale = client().call("POST", queue_path("jobs", "/visibility"), change);
  EXPECT_EQ(stale.json().at("updated"), 0);
  EXPECT_EQ(stale.json().at("failed").at(0).at("code"), "receipt_invalid");
  EXPECT_EQ(client().ack("jobs", receipt).json().at("acked"), 0);
}

TEST_P(MessagesHttp, ABatchIsAllOrNothing) {
  test::HttpResponse refused = client().call("POST", queue_path("jobs", "/messages"),
                                           R"({"messages":[{"body":"fine"},{"body":"bad","delay_s":901}]})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(error_code(refused), "invalid_request");
  EXPECT_NE(refused.json().at("error").at("message").as_string().find("messages[1].delay_s"), std::string::npos);
  EXPECT_EQ(stats("jobs").at("visible"), 0);
  EXPECT_EQ(stats("jobs").at("delayed"), 0);
}

TEST_P(MessagesHttp, AMessageOverMaxMessageBytesIs413) {
  ASSERT_EQ(client().put_queue("small", R"({"max_message_bytes":10})").status, 201);
  // Body plus attribute keys and values: 4 + 3 + 3 = 10 fits, one byte more does not.
  EXPECT_EQ(client().call("POST", queue_path("small", "/messages"),
                        R"({"messages":[{"body":"1234","attributes":{"key":"val"}}]})")
                .status,
            201);
  test::HttpResponse refused = client().call("POST", queue_path("small", "/messages"),
                                           R"({"messages":[{"body":"ok"},{"body":"12345678901"}]})");
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_EQ(error_code(refused), "payload_too_large");
  EXPECT_EQ(stats("small").at("visible"), 1);
}

TEST_P(MessagesHttp, FifoQueuesNeedGroupsAndDeliverOnePerGroupInOrder) {
  ASSERT_EQ(client().put_queue("orders.fifo").status, 201);
  test::HttpResponse no_group = client().send("orders.fifo", "x");
  EXPECT_EQ(no_group.status, 400) << no_group.body;
  EXPECT_NE(no_group.json().at("error").at("message").as_string().find("group_id"), std::string::npos);
  EXPECT_EQ(client().call("POST", queue_path("jobs", "/messages"), R"({"messages":[{"body":"x","group_id":"g"}]})")
                .status,
            400);

  ASSERT_EQ(client().call("POST", queue_path("orders.fifo", "/messages"),
                        R"({"messages":[{"body":"a1","group_id":"a"},{"body":"a2","group_id":"a"},)"
                        R"({"body":"b1","group_id":"b"}]})")
                .status,
            201);
  boost::json::array first = client().receive("orders.fifo");
  ASSERT_EQ(first.size(), 2u);
  std::set<std::string> heads;
  for (const auto& message : first) heads.insert(std::string(message.at("body").as_string()));
  EXPECT_EQ(heads, (std::set<std::string>{"a1", "b1"}));
  EXPECT_TRUE(client().receive("orders.fifo").empty());

  for (const auto& message : first) {
    if (message.at("group_id") != "a") continue;
    ASSERT_EQ(client().ack("orders.fifo", message.at("receipt").as_string()).status, 200);
  }
  boost::json::array next = client().receive("orders.fifo");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].at("body"), "a2");
  EXPECT_EQ(next[0].at("group_id"), "a");
}

TEST_P(MessagesHttp, ADuplicateSendAnswersTheOriginalId) {
  std::string body = R"({"messages":[{"body":"once","dedup_id":"order-42"}]})";
  test::HttpResponse first = client().call("POST", queue_path("jobs", "/messages"), body);
  test::HttpResponse second = client().call("POST", queue_path("jobs", "/messages"), body);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(first.json().at("messages").at(0).at("id"), second.json().at("messages").at(0).at("id"));
  EXPECT_EQ(stats("jobs").at("visible"), 1);
}

TEST_P(MessagesHttp, UnknownQueuesAre404OnEveryMessageRoute) {
  EXPECT_EQ(client().send("nope", "x").status, 404);
  EXPECT_EQ(client().call("POST", queue_path("nope", "/receive"), "{}").status, 404);
  EXPECT_EQ(client().ack("nope", "r").status, 404);
  test::HttpResponse visibility =
      client().call("POST", queue_path("nope", "/visibility"), R"({"receipts":["r"],"visibility_timeout_s":1})");
  EXPECT_EQ(visibility.status, 404);
  EXPECT_EQ(error_code(visibility), "queue_not_found");
}

TEST_P(MessagesHttp, BodiesSurviveTheRoundTripByteForByte) {
  // NUL, quotes, backslashes, a 4-byte UTF-8 character, and a large body.
  std::string tricky = std::string("nul") + '\0' + "byte \"q\" \\ \xf0\x9f\x98\x80 " + std::string(100'000, 'z');
  ASSERT_EQ(client().send("jobs", tricky).status, 201);
  boost::json::array received = client().receive("jobs");
  ASSERT_EQ(received.size(), 1u);
  const boost::json::string& body = received[0].at("body").as_string();
  EXPECT_EQ(std::string(body.data(), body.size()), tricky);
}

}  // namespace
}  // namespace queue_api_test
