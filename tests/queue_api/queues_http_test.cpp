// The queue administration routes over HTTP: PUT, GET, DELETE, list, purge,
// redrive and peek, with their statuses and error codes.
#include <gtest/gtest.h>

#include <regex>

#include <boost/json/serialize.hpp>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

class QueuesHttp : public ApiTest {
 protected:
  std::string error_code(const test::HttpResponse& response) {
    return std::string(response.json().at("error").at("code").as_string());
  }
};
QUEUE_API_INSTANTIATE(QueuesHttp);

TEST_P(QueuesHttp, PutCreatesWithDefaultsThenUpdates) {
  test::HttpResponse created = client().put_queue("jobs");  // no body, no Content-Type
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("Content-Type"), "application/json");
  boost::json::value queue = created.json();
  EXPECT_EQ(queue.at("name"), "jobs");
  EXPECT_EQ(boost::json::serialize(queue.at("attributes")),
            R"({"visibility_timeout_s":30,"retention_s":345600,"delay_s":0,"max_message_bytes":262144,)"
            R"("dead_letter":null,"fifo":false,"dedup_window_s":300,"paused":false})");
  EXPECT_EQ(boost::json::serialize(queue.at("stats")), R"({"visible":0,"in_flight":0,"delayed":0,"oldest_age_s":0,"sent_total":0,"received_total":0,"acked_total":0})");
  EXPECT_TRUE(std::regex_match(std::string(queue.at("created_at").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << queue.at("created_at");

  test::HttpResponse updated = client().put_queue("jobs", R"({"visibility_timeout_s":5,"delay_s":2})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json().at("attributes").at("visibility_timeout_s"), 5);
  EXPECT_EQ(updated.json().at("attributes").at("delay_s"), 2);
  EXPECT_EQ(updated.json().at("created_at"), queue.at("created_at"));

  test::HttpResponse unchanged = client().put_queue("jobs", "{}");
  EXPECT_EQ(unchanged.status, 200) << unchanged.body;
  EXPECT_EQ(unchanged.json().at("attributes").at("visibility_timeout_s"), 5);
}

TEST_P(QueuesHttp, FifoFollowsTheNameAndNeverChanges) {
  test::HttpResponse created = client().put_queue("orders.fifo");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().at("attributes").at("fifo"), true);

  test::HttpResponse change = client().put_queue("orders.fifo", R"({"fifo":false})");
  EXPECT_EQ(change.status, 409) << change.body;
  EXPECT_EQ(error_code(change), "conflict");

  test::HttpResponse mismatch = client().put_queue("plain", R"({"fifo":true})");
  EXPECT_EQ(mismatch.status, 400) << mismatch.body;
  EXPECT_EQ(error_code(mismatch), "invalid_request");
}

TEST_P(QueuesHttp, GetAnswersStatsAndUnknownQueuesAre404) {
  ASSERT_EQ(client().put_queue("jobs").status, 201);
  ASSERT_EQ(client().send("jobs", "one").status, 201);
  ASSERT_EQ(client().call("POST", queue_path("jobs", "/messages"), R"({"messages":[{"body":"later","delay_s":900}]})")
                .status,
            201);

  test::HttpResponse got = client().call("GET", queue_path("jobs"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().at("stats").at("visible"), 1);
  EXPECT_EQ(got.json().at("stats").at("delayed"), 1);

  test::HttpResponse missing = client().call("GET", queue_path("nope"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "queue_not_found");
  EXPECT_FALSE(std::string(missing.json().at("error").at("request_id").as_string()).empty());
  EXPECT_EQ(missing.json().at("error").at("request_id").as_string(), missing.header("X-Request-ID"));
}

TEST_P(QueuesHttp, BadQueueNamesAre400) {
  for (const std::string& name : std::vector<std::string>{"has%20space", "a%2Fb", std::string(81, 'x'), "x.fifo.fifo", ".fifo"}) {
    test::HttpResponse response = client().put_queue(name);
    EXPECT_EQ(response.status, 400) << name << ": " << response.body;
    EXPECT_EQ(error_code(response), "invalid_request");
  }
  EXPECT_EQ(client().put_queue(std::string(80, 'x') + ".fifo").status, 201);
}

TEST_P(QueuesHttp, DeleteIs204ThenTheQueueIsGone) {
  ASSERT_EQ(client().put_queue("jobs").status, 201);
  test::HttpResponse deleted = client().call("DELETE", queue_path("jobs"));
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(client().call("GET", queue_path("jobs")).status, 404);
  EXPECT_EQ(client().call("DELETE", queue_path("jobs")).status, 404);
}

TEST_P(QueuesHttp, ADeadLetterQueueInUseCannotBeDeleted) {
  ASSERT_EQ(client().put_queue("jobs-dlq").status, 201);
  ASSERT_EQ(client().put_queue("jobs", R"({"dead_letter":{"queue":"jobs-dlq","max_receives":1}})").status, 201);
  test::HttpResponse refused = client().call("DELETE", queue_path("jobs-dlq"));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(error_code(refused), "conflict");

  ASSERT_EQ(client().put_queue("jobs", R"({"dead_letter":null})").status, 200);
  EXPECT_EQ(client().call("DELETE", queue_path("jobs-dlq")).status, 204);
}

TEST_P(QueuesHttp, ADeadLetterTargetMustExist) {
  test::HttpResponse response = client().put_queue("jobs", R"({"dead_letter":{"queue":"nowhere","max_receives":1}})");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(error_code(response), "invalid_request");
}

TEST_P(QueuesHttp, ListPagesThroughNamesWithPrefixAndCursor) {
  for (const char* name : {"b-two", "a-one", "b-one", "c"}) ASSERT_EQ(client().put_queue(name).status, 201);

  test::HttpResponse all = client().call("GET", "/api/v1/queues");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(boost::json::serialize(all.json()), R"({"queues":["a-one","b-one","b-two","c"],"next_cursor":null})");

  test::HttpResponse first = client().call("GET", "/api/v1/queues?limit=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json().at("queues"), (boost::json::array{"a-one", "b-one"}));
  ASSERT_TRUE(first.json().at("next_cursor").is_string());
  std::string cursor(first.json().at("next_cursor").as_string());
  test::HttpResponse second = client().call("GET", "/api/v1/queues?limit=2&cursor=" + cursor);
  EXPECT_EQ(boost::json::serialize(second.json()), R"({"queues":["b-two","c"],"next_cursor":null})");

  test::HttpResponse prefixed = client().call("GET", "/api/v1/queues?prefix=b-");
  EXPECT_EQ(prefixed.json().at("queues"), (boost::json::array{"b-one", "b-two"}));

  for (const char* bad : {"?limit=0", "?limit=1001", "?limit=ten", "?prefix=a%2Fb", "?cursor=%21"}) {
    test::HttpResponse response = client().call("GET", std::string("/api/v1/queues") + bad);
    EXPECT_EQ(response.status, 400) << bad << ": " << response.body;
    EXPECT_EQ(error_code(response), "invalid_request");
  }
}

TEST_P(QueuesHttp, PurgeDeletesEveryMessage) {
  ASSERT_EQ(client().put_queue("jobs").status, 201);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client().send("jobs", "m").status, 201);

  test::HttpResponse purged = client().call("POST", queue_path("jobs", "/purge"));  // no body
  ASSERT_EQ(purged.status, 200) << purged.body;
  EXPECT_EQ(boost::json::serialize(purged.json()), R"({"purged":3})");
  EXPECT_EQ(client().call("POST", queue_path("jobs", "/purge"), "{}").json().at("purged"), 0);
  EXPECT_EQ(client().call("POST", queue_path("jobs", "/purge"), R"({"all":true})").status, 400);
  EXPECT_EQ(client().call("POST", queue_path("nope", "/purge")).status, 404);
}

TEST_P(QueuesHttp, PeekShowsMessagesWithoutReceivingThem) {
  ASSERT_EQ(client().put_queue("jobs").status, 201);
  ASSERT_EQ(client().call("POST", queue_path("jobs", "/messages"),
                        R"({"messages":[{"body":"now","attributes":{"k":"v"}},{"body":"later","delay_s":600}]})")
                .status,
            201);

  test::HttpResponse visible = client().call("GET", queue_path("jobs", "/messages"));
  ASSERT_EQ(visible.status, 200) << visible.body;
  boost::json::array messages = visible.json().at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("body"), "now");
  EXPECT_EQ(messages[0].at("attributes").at("k"), "v");
  EXPECT_EQ(messages[0].at("receive_count"), 0);
  EXPECT_TRUE(messages[0].as_object().contains("visible_at"));
  EXPECT_FALSE(messages[0].as_object().contains("receipt"));

  test::HttpResponse delayed = client().call("GET", queue_path("jobs", "/messages?state=delayed&limit=1"));
  ASSERT_EQ(delayed.json().at("messages").as_array().size(), 1u);
  EXPECT_EQ(delayed.json().at("messages").at(0).at("body"), "later");

  // Looking changed nothing: the message is still there to receive, for the first time.
  boost::json::array received = client().receive("jobs");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].at("receive_count"), 1);
  test::HttpResponse in_flight = client().call("GET", queue_path("jobs", "/messages?state=in_flight"));
  EXPECT_EQ(in_flight.json().at("messages").as_array().size(), 1u);

  EXPECT_EQ(client().call("GET", queue_path("jobs", "/messages?state=leased")).status, 400);
  EXPECT_EQ(client().call("GET", queue_path("jobs", "/messages?limit=101")).status, 400);
  EXPECT_EQ(client().call("GET", queue_path("nope", "/messages")).status, 404);
}

TEST_P(QueuesHttp, RedriveMovesDeadLettersBack) {
  ASSERT_EQ(client().put_queue("jobs-dlq").status, 201);
  ASSERT_EQ(client().put_queue("jobs", R"({"dead_letter":{"queue":"jobs-dlq","max_receives":1}})").status, 201);
  ASSERT_EQ(client().send("jobs", "poison").status, 201);

  // Delivered once, released at once, and the second delivery moves it instead.
  boost::json::array first = client().receive("jobs");
  ASSERT_EQ(first.size(), 1u);
  std::string receipt(first[0].at("receipt").as_string());
  ASSERT_EQ(client().call("POST", queue_path("jobs", "/visibility"),
                        R"({"receipts":[")" + receipt + R"("],"visibility_timeout_s":0})")
                .status,
            200);
  EXPECT_TRUE(client().receive("jobs").empty());
  EXPECT_EQ(client().call("GET", queue_path("jobs-dlq")).json().at("stats").at("visible"), 1);

  test::HttpResponse redriven = client().call("POST", queue_path("jobs-dlq", "/redrive"));  // no body: to the source
  ASSERT_EQ(redriven.status, 200) << redriven.body;
  EXPECT_EQ(boost::json::serialize(redriven.json()), R"({"moved":1})");
  boost::json::array again = client().receive("jobs");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].at("body"), "poison");

  EXPECT_EQ(client().call("POST", queue_path("jobs-dlq", "/redrive"), R"({"to":"nowhere"})").status, 400);
  EXPECT_EQ(client().call("POST", queue_path("jobs-dlq", "/redrive"), R"({"max":0})").status, 400);
  EXPECT_EQ(client().call("POST", queue_path("nope", "/redrive")).status, 404);
}

}  // namespace
}  // namespace queue_api_test
