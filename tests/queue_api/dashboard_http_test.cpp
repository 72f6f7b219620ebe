// The dashboard's routes over a real socket: its embedded files with their types,
// CSP, ETag and 304; 404 JSON for any other file; the redirect to the trailing
// slash; and GET /queue/whoami answering what each token may do on a queue.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/queue_api/api_server.h"

namespace queue_api_test {
namespace {

constexpr const char* tokens = "ops:ops-secret-1:admin;worker:worker-secret-1:receive@orders-*,send@audit";
constexpr const char* ui = "/api/v1/queue/ui/";

class Dashboard : public ::testing::Test {
 protected:
  ApiServer server{ApiServer::Options{.api_tokens = tokens}};
  test::HttpClient http{server.port()};
};

TEST_F(Dashboard, ServesThePageAndItsFilesWithTheirTypes) {
  test::HttpResponse page = http.get(ui);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<script type=\"module\" src=\"app.js\">"), std::string::npos) << page.body;

  struct Expected {
    const char* file;
    const char* type;
  };
  for (Expected expected : {Expected{"app.js", "text/javascript; charset=utf-8"},
                            Expected{"style.css", "text/css; charset=utf-8"},
                            Expected{"favicon.svg", "image/svg+xml"},
                            Expected{"index.html", "text/html; charset=utf-8"}}) {
    test::HttpResponse file = http.get(std::string(ui) + expected.file);
    EXPECT_EQ(file.status, 200) << expected.file;
    EXPECT_EQ(file.header("Content-Type"), expected.type) << expected.file;
    EXPECT_FALSE(file.body.empty()) << expected.file;
  }
}

TEST_F(Dashboard, EveryFileCarriesAStrictPolicyAndAStrongETag) {
  test::HttpResponse file = http.get(std::string(ui) + "app.js");
  ASSERT_EQ(file.status, 200);
  std::string policy = file.header("Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(file.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(file.header("Cache-Control"), "no-cache");
  std::string etag = file.header("ETag");
  ASSERT_EQ(etag.size(), 18u) << etag;  // 16 hex digits in quotes
  EXPECT_EQ(etag.front(), '"');

  test::HttpResponse unchanged = http.get(std::string(ui) + "app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  EXPECT_EQ(unchanged.header("ETag"), etag);
  // Another file's tag is no match.
  test::HttpResponse other = http.get(std::string(ui) + "style.css", {{"If-None-Match", etag}});
  EXPECT_EQ(other.status, 200);
  EXPECT_NE(other.header("ETag"), etag);
}

TEST_F(Dashboard, AnUnknownFileIs404Json) {
  for (const char* file : {"nope.js", "..%2Fapp.js", "app.js.map"}) {
    test::HttpResponse response = http.get(std::string(ui) + file);
    EXPECT_EQ(response.status, 404) << file;
    EXPECT_EQ(response.header("Content-Type"), "application/json") << file;
    EXPECT_EQ(response.json().at("error").at("code"), "not_found") << response.body;
  }
}

TEST_F(Dashboard, WithoutTheTrailingSlashItRedirects) {
  test::HttpResponse response = http.get("/api/v1/queue/ui");
  EXPECT_EQ(response.status, 308);
  EXPECT_EQ(response.header("Location"), "ui/");
}

TEST_F(Dashboard, TheFilesNeedNoTokenButWhoamiDoes) {
  EXPECT_EQ(http.get(ui).status, 200);
  test::HttpResponse response = http.get("/api/v1/queue/whoami");
  EXPECT_EQ(response.status, 401) << response.body;
  EXPECT_EQ(response.json().at("error").at("code"), "unauthorized");
  EXPECT_EQ(http.get("/api/v1/queue/whoami", {{"Authorization", "Bearer not-a-token"}}).status, 401);
}

TEST_F(Dashboard, WhoamiAnswersWhatTheTokenMayDoOnAQueue) {
  QueueClient ops(server.port(), "ops-secret-1");
  test::HttpResponse me = ops.call("GET", "/api/v1/queue/whoami");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("auth"), true);
  EXPECT_EQ(me.json().at("principal"), "ops");
  EXPECT_FALSE(me.json().as_object().contains("may"));

  auto may = [&](const char* token, const char* queue) {
    QueueClient client(server.port(), token);
    test::HttpResponse response = client.call("GET", std::string("/api/v1/queue/whoami?queue=") + queue);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json().at("may");
  };
  boost::json::value all{{"read", true}, {"send", true}, {"receive", true}, {"admin", true}};
  EXPECT_EQ(may("ops-secret-1", "anything"), all);
  EXPECT_EQ(may("worker-secret-1", "orders-eu"),
            (boost::json::value{{"read", true}, {"send", false}, {"receive", true}, {"admin", false}}));
  EXPECT_EQ(may("worker-secret-1", "audit"),
            (boost::json::value{{"read", true}, {"send", true}, {"receive", false}, {"admin", false}}));
  EXPECT_EQ(may("worker-secret-1", "billing"),
            (boost::json::value{{"read", false}, {"send", false}, {"receive", false}, {"admin", false}}));
}

TEST(DashboardAuthOff, WhoamiSaysSoAndAllowsEverything) {
  ApiServer server;
  test::HttpClient http(server.port());
  test::HttpResponse response = http.get("/api/v1/queue/whoami?queue=orders");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("auth"), false);
  EXPECT_TRUE(response.json().at("principal").is_null());
  EXPECT_EQ(response.json().at("may").at("admin"), true);
}

}  // namespace
}  // namespace queue_api_test
