// Raptor's first feature on Queue (backend_v2/api/exports_blueprint.h), with Queue
// mounted in process: the job lands on raptor-exports, Queue's failures answer in
// Raptor's format, and with no Queue the feature is 503 queue_disabled. Also the
// modes the version route reports and the client the app holds as its extension.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "backend_v2/api/app_factory.h"
#include "queue/contract/client.h"
#include "tests/integration/in_process.h"
#include "tests/integration/raptor_env.h"
#include "tests/integration/temp_dir.h"
#include "web/config.h"

namespace {

namespace json = boost::json;
using test_support::dispatch;
using test_support::expect_raptor_error;
using test_support::json_of;
using test_support::raptor_environment;
using test_support::TempDir;
using test_support::wait_for_status;

const web::Request::Headers json_type = {{"Content-Type", "application/json"}};

json::value version_of(const web::App& app) { return json_of(dispatch(app, "GET", "/api/v1/raptor/version")); }

TEST(RaptorExports, InProcessEnqueuesTheJobOnRaptorExports) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));

  web::Response accepted = dispatch(*app, "POST", "/api/v1/raptor/exports", json_type,
                                    R"({"report":"sales-q1","format":"json"})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  json::value body = json_of(accepted);
  EXPECT_EQ(body.at("status"), "accepted");
  EXPECT_EQ(body.at("job").at("queue"), "raptor-exports");
  std::string id(body.at("job").at("id").as_string());

  // The queue was created at first use; the job is on it, as Queue's own API shows.
  web::Response peek = dispatch(*app, "GET", "/api/v1/queues/raptor-exports/messages?state=visible");
  ASSERT_EQ(peek.status, 200) << peek.body;
  json::array messages = json_of(peek).at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("id"), json::string(id));
  json::value job = json::parse(messages[0].at("body").as_string());
  EXPECT_EQ(job.at("type"), "export_report");
  EXPECT_EQ(job.at("report"), "sales-q1");
  EXPECT_EQ(job.at("format"), "json");
  EXPECT_EQ(job.at("request_id"), json::string(*accepted.header("X-Request-ID")));
  EXPECT_EQ(messages[0].at("attributes").at("type"), "export_report");

  web::Response depth = dispatch(*app, "GET", "/api/v1/raptor/exports/queue");
  ASSERT_EQ(depth.status, 200) << depth.body;
  EXPECT_EQ(json_of(depth).at("visible"), 1);
  EXPECT_EQ(json_of(depth).at("in_flight"), 0);
}

TEST(RaptorExports, AnIdempotencyKeyEnqueuesTheJobOnce) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  web::Request::Headers headers = json_type;
  headers.emplace_back("Idempotency-Key", "export-7");

  web::Response first = dispatch(*app, "POST", "/api/v1/raptor/exports", headers, R"({"report":"r"})");
  web::Response retried = dispatch(*app, "POST", "/api/v1/raptor/exports", headers, R"({"report":"r"})");
  ASSERT_EQ(first.status, 202) << first.body;
  ASSERT_EQ(retried.status, 202) << retried.body;
  EXPECT_EQ(json_of(first).at("job").at("id"), json_of(retried).at("job").at("id"));
  EXPECT_EQ(json_of(dispatch(*app, "GET", "/api/v1/raptor/exports/queue")).at("visible"), 1);
}

TEST(RaptorExports, NoJobsYetIsAnEmptyQueueNotAnError) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  web::Response depth = dispatch(*app, "GET", "/api/v1/raptor/exports/queue");
  ASSERT_EQ(depth.status, 200) << depth.body;
  EXPECT_EQ(json_of(depth).at("visible"), 0);
}

TEST(RaptorExports, BadRequestsAnswerInRaptorsFormat) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  expect_raptor_error(dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, R"({"format":"csv"})"), 400,
                      "bad_request");
  expect_raptor_error(dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, R"({"report":"r","format":"xls"})"),
                      400, "bad_request");
  expect_raptor_error(dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, "not json"), 400, "bad_request");
  // A key Queue refuses as a dedup id (spaces) is the client's mistake: 400, still Raptor's format.
  web::Request::Headers headers = json_type;
  headers.emplace_back("Idempotency-Key", "has spaces");
  expect_raptor_error(dispatch(*app, "POST", "/api/v1/raptor/exports", headers, R"({"report":"r"})"), 400,
                      "bad_request");
}

TEST(RaptorExports, AnUnavailableQueueIs503WithRetryAfterInRaptorsFormat) {
  TempDir dir;
  web::Config config = raptor_environment(dir, true);
  config.set("QUEUE_DURABILITY", "sometimes");  // Queue is misconfigured: it never opens, Raptor serves on
  auto app = raptor::api::create_app(config);

  web::Response refused = dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, R"({"report":"r"})");
  expect_raptor_error(refused, 503, "queue_unavailable");
  ASSERT_TRUE(refused.header("Retry-After").has_value());
  EXPECT_GE(std::stoi(std::string(*refused.header("Retry-After"))), 1);
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/raptor/exports/queue"), 503, "queue_unavailable");
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
}

TEST(RaptorExports, AfterShutdownTheQueueIsUnavailable) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  app->shutdown();  // SIGTERM: Queue's on_shutdown stops its service
  expect_raptor_error(dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, R"({"report":"r"})"), 503,
                      "queue_unavailable");
}

TEST(RaptorExports, WithoutAQueueTheFeatureIs503Disabled) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, false));
  web::Response refused = dispatch(*app, "POST", "/api/v1/raptor/exports", json_type, R"({"report":"r"})");
  expect_raptor_error(refused, 503, "queue_disabled");
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/raptor/exports/queue"), 503, "queue_disabled");
}

TEST(RaptorQueueMode, OffInProcessOrRemote) {
  TempDir dir;
  auto off = raptor::api::create_app(raptor_environment(dir, false));
  EXPECT_EQ(version_of(*off).at("queue_mode"), "off");
  EXPECT_TRUE(version_of(*off).at("queue_api").is_null());
  EXPECT_EQ(off->extension<queue::contract::QueueClient>(), nullptr);

  auto in_process = raptor::api::create_app(raptor_environment(dir, true));
  EXPECT_EQ(version_of(*in_process).at("queue_mode"), "in_process");
  EXPECT_EQ(version_of(*in_process).at("queue_api"), "v1");
  ASSERT_NE(in_process->extension<queue::contract::QueueClient>(), nullptr);
  EXPECT_EQ(in_process->extension<queue::contract::QueueClient>()->transport(), "in_process");

  // Queue elsewhere: Raptor does not mount it, even with the flag on.
  TempDir remote_dir;
  web::Config config = raptor_environment(remote_dir, true);
  config.set("RAPTOR_QUEUE_URL", "http://127.0.0.1:9");
  config.set("RAPTOR_QUEUE_TOKEN", "raptor-secret");
  auto remote = raptor::api::create_app(config);
  EXPECT_EQ(version_of(*remote).at("queue_mode"), "remote");
  EXPECT_TRUE(version_of(*remote).at("queue_api").is_null());
  EXPECT_EQ(dispatch(*remote, "GET", "/api/v1/raptor/version").body.find("raptor-secret"), std::string::npos);
  EXPECT_EQ(dispatch(*remote, "GET", "/api/v1/queues").status, 404);
  ASSERT_NE(remote->extension<queue::contract::QueueClient>(), nullptr);
  EXPECT_NE(remote->extension<queue::contract::QueueClient>()->transport(), "in_process");
  EXPECT_FALSE(std::filesystem::exists(remote_dir.file("queue.db")));  // Queue never initialised here
}

TEST(RaptorQueueMode, AMalformedQueueUrlStopsRaptorNamingTheKey) {
  TempDir dir;
  web::Config config = raptor_environment(dir, false);
  config.set("RAPTOR_QUEUE_URL", "ftp://nowhere");
  try {
    raptor::api::create_app(config);
    FAIL() << "create_app accepted a malformed RAPTOR_QUEUE_URL";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("RAPTOR_QUEUE_URL"), std::string::npos) << error.what();
  }
}

}  // namespace
