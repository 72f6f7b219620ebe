// Bad input over HTTP is a 4xx in Queue's error format, never a 500: media types,
// malformed and hostile JSON, unknown paths and methods, and a Queue not yet ready.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tests/queue_api/api_test.h"

namespace queue_api_test {
namespace {

class ErrorsHttp : public ApiTest {
 protected:
  void prepare() override { ASSERT_EQ(client().put_queue("jobs").status, 201); }
};
QUEUE_API_INSTANTIATE(ErrorsHttp);

// {"error":{"code","message","request_id"}} with the status, and the id matching the header.
void expect_error(const test::HttpResponse& response, int status, std::string_view code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  boost::json::value body = response.json();
  ASSERT_TRUE(body.is_object()) << response.body;
  const boost::json::object& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), code) << response.body;
  EXPECT_FALSE(error.at("message").as_string().empty());
  EXPECT_EQ(error.at("request_id").as_string(), response.header("X-Request-ID"));
  EXPECT_EQ(body.as_object().size(), 1u);
  EXPECT_EQ(error.size(), 3u);
}

TEST_P(ErrorsHttp, ABodyThatIsNotDeclaredJsonIs415) {
  std::string target = queue_path("jobs", "/messages");
  std::string body = R"({"messages":[{"body":"x"}]})";
  for (const char* content_type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                                   "application/json; charset=latin1"}) {
    SCOPED_TRACE(content_type);
    expect_error(client().http().request("POST", target, body, {{"Content-Type", content_type}}), 415,
                 "unsupported_media_type");
  }
  expect_error(client().http().request("POST", target, body), 415, "unsupported_media_type");
  expect_error(client().http().request("PUT", queue_path("other"), "{}", {{"Content-Type", "text/plain"}}), 415,
               "unsupported_media_type");

  for (const char* content_type : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                                   "application/json;charset=\"UTF-8\""}) {
    SCOPED_TRACE(content_type);
    EXPECT_EQ(client().http().request("POST", target, body, {{"Content-Type", content_type}}).status, 201);
  }
}

TEST_P(ErrorsHttp, EmptyBodiesNeedNoContentType) {
  EXPECT_EQ(client().http().request("PUT", queue_path("fresh")).status, 201);
  EXPECT_EQ(client().http().request("POST", queue_path("jobs", "/purge")).status, 200);
  EXPECT_EQ(client().http().request("POST", queue_path("jobs", "/receive")).status, 200);
  // A route that needs fields says so, with 400, not 415.
  expect_error(client().http().request("POST", queue_path("jobs", "/messages")), 400, "invalid_request");
}

TEST_P(ErrorsHttp, MalformedAndHostileJsonIs400) {
  std::string deep = std::string(5'000, '[') + std::string(5'000, ']');
  const char raw_nul[] = "{\"messages\":[{\"body\":\"a\0b\"}]}";  // JSON strings may not hold control bytes
  std::string raw_nul_in_string(raw_nul, sizeof raw_nul - 1);
  const std::string bodies[] = {
      "{",                                              // truncated
      "{\"messages\":[{\"body\":\"x\"}]} trailing",     // trailing garbage
      "[{\"body\":\"x\"}]",                             // an array, not an object
      "\"messages\"",                                   // a string
      "null",
      "{\"messages\":[{\"body\":\"\xc3\x28\"}]}",       // invalid UTF-8
      "{\"messages\":[{\"body\":\"\\udc00\"}]}",        // lone surrogate
      "{\"messages\":[{\"body\":\"x\",\"delay_s\":1e999}]}",
      "{\"messages\":[{\"body\":\"x\",\"delay_s\":-99999999999999999999999}]}",
      "{\"messages\":[{\"body\":\"x\",\"delay_s\":9223372036854775808}]}",
      "{\"messages\":[{\"body\":[\"x\"]}]}",
      "{\"messages\":[{\"body\":\"x\",\"priority\":1}]}",
      deep,
      raw_nul_in_string,
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body.substr(0, 80));
    expect_error(client().call("POST", queue_path("jobs", "/messages"), body), 400, "invalid_request");
  }
  expect_error(client().call("PUT", queue_path("jobs"), R"({"visibility_timeout_s":"30"})"), 400, "invalid_request");
  expect_error(client().call("POST", queue_path("jobs", "/receive"), R"({"max":1e2})"), 400, "invalid_request");
  expect_error(client().call("POST", queue_path("jobs", "/ack"), R"({"receipts":"r"})"), 400, "invalid_request");
  expect_error(client().call("POST", queue_path("jobs", "/visibility"), R"({"receipts":["r"],"visibility_timeout_s":null})"),
               400, "invalid_request");
  expect_error(client().call("POST", queue_path("jobs", "/redrive"), "[]"), 400, "invalid_request");
  // The server is unharmed.
  EXPECT_EQ(client().call("GET", queue_path("jobs")).status, 200);
}

TEST_P(ErrorsHttp, TheMessageNamesTheField) {
  test::HttpResponse response =
      client().call("POST", queue_path("jobs", "/messages"), R"({"messages":[{"body":"x"},{"body":"y","delay_s":"soon"}]})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.json().at("error").at("message"),
            "messages[1].delay_s must be an integer from 0 to 900, got a string");
}

TEST_P(ErrorsHttp, UnknownPathsAndMethodsAnswerInQueuesFormat) {
  expect_error(client().call("GET", queue_path("jobs", "/nope")), 404, "not_found");
  expect_error(client().call("GET", queue_path("jobs", "/messages/1/extra")), 404, "not_found");
  expect_error(client().call("GET", "/api/v1/queues/"), 404, "not_found");

  test::HttpResponse list_post = client().call("DELETE", "/api/v1/queues");
  expect_error(list_post, 405, "method_not_allowed");
  EXPECT_EQ(list_post.header("Allow"), "GET, HEAD");

  test::HttpResponse receive_get = client().call("GET", queue_path("jobs", "/receive"));
  expect_error(receive_get, 405, "method_not_allowed");
  EXPECT_EQ(receive_get.header("Allow"), "POST");

  test::HttpResponse queue_post = client().call("POST", queue_path("jobs"), "{}");
  expect_error(queue_post, 405, "method_not_allowed");
  EXPECT_EQ(queue_post.header("Allow"), "DELETE, GET, HEAD, PUT");
}

TEST_P(ErrorsHttp, RequestIdsAreHonouredInErrors) {
  test::HttpResponse response = client().call("GET", queue_path("missing"), {}, {{"X-Request-ID", "trace-abc-123"}});
  expect_error(response, 404, "queue_not_found");
  EXPECT_EQ(response.json().at("error").at("request_id"), "trace-abc-123");
}

// A database Queue cannot reach, so it keeps retrying in the background: for SQLite a
// path that cannot exist, for PostgreSQL a loopback port nothing listens on.
class NotReadyHttp : public ApiTest {
 protected:
  ApiServer::Options server_options() const override {
    return {.database_url = engine() == queue::testing::EngineKind::sqlite ? "sqlite:/proc/no-such-dir/queue.db"
                                                                           : "postgres://queue@127.0.0.1:1/queue",
            .wait_until_ready = false};
  }
};
QUEUE_API_INSTANTIATE(NotReadyHttp);

TEST_P(NotReadyHttp, QueueRoutesAre503WithRetryAfterWhileStorageIsDown) {
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/queues"},
           {"PUT", queue_path("jobs")},
           {"POST", queue_path("jobs", "/receive")},
           {"GET", "/api/v1/queue/readyz"},
       }) {
    SCOPED_TRACE(method + " " + target);
    test::HttpResponse response = client().call(method, target);
    expect_error(response, 503, "unavailable");
    EXPECT_GE(std::stoi(response.header("Retry-After")), 1);
  }
  EXPECT_EQ(client().call("GET", "/api/v1/queue/healthz").status, 200);
}

}  // namespace
}  // namespace queue_api_test
