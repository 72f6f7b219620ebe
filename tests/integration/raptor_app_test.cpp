// Raptor's app factory with and without Queue (ADR-0066), in process: the flag,
// error isolation between the blueprints, a Queue that cannot start, shutdown.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "backend_v2/api/app_factory.h"
#include "queue/api/app.h"
#include "queue/contract/version.h"
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

bool has_blueprint(const web::App& app, const std::string& name) {
  for (const web::Blueprint& blueprint : app.blueprints()) {
    if (blueprint.name() == name) return true;
  }
  return false;
}

// Queue's error shape: {"error":{"code","message","request_id"}}.
void expect_queue_error(const web::Response& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status);
  json::value body = json_of(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_FALSE(body.as_object().contains("status")) << response.body;
  EXPECT_EQ(body.at("error").at("code"), json::string(code)) << response.body;
  EXPECT_TRUE(body.at("error").at("message").is_string()) << response.body;
  EXPECT_EQ(body.at("error").at("request_id"), json::string(*response.header("X-Request-ID"))) << response.body;
}

TEST(RaptorApp, ServesItsOwnRoutes) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, false));

  web::Response health = dispatch(*app, "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json_of(health).at("status"), "ok");

  web::Response version = dispatch(*app, "GET", "/api/v1/raptor/version");
  EXPECT_EQ(version.status, 200);
  EXPECT_EQ(json_of(version).at("service"), "raptor");
  EXPECT_TRUE(json_of(version).at("queue_api").is_null());

  expect_raptor_error(dispatch(*app, "GET", "/nope"), 404, "not_found");
  web::Response wrong_method = dispatch(*app, "POST", "/healthz");
  expect_raptor_error(wrong_method, 405, "method_not_allowed");
  EXPECT_TRUE(wrong_method.header("Allow").has_value());
}

TEST(RaptorApp, FlagOffLeavesQueueUnmountedAndUntouched) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, false));

  EXPECT_FALSE(has_blueprint(*app, "queues"));
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/queues"), 404, "not_found");
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/queue/readyz"), 404, "not_found");
  // Queue never initialised: its database file was never created.
  EXPECT_FALSE(std::filesystem::exists(dir.file("queue.db")));
}

TEST(RaptorApp, FlagOnMountsQueueUnderApiV1) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));

  EXPECT_TRUE(has_blueprint(*app, "queues"));
  EXPECT_TRUE(has_blueprint(*app, "queue_health"));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));

  web::Response list = dispatch(*app, "GET", "/api/v1/queues");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json_of(list), json::parse(R"({"queues":[],"next_cursor":null})"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("queue.db")));

  EXPECT_EQ(json_of(dispatch(*app, "GET", "/api/v1/raptor/version")).at("queue_api"),
            json::string(queue::contract::api_version));
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
}

TEST(RaptorApp, FlagAcceptsTheUsualTruthyWords) {
  for (const char* on : {"1", "true", "TRUE", "yes", "On"}) {
    TempDir dir;
    web::Config config = raptor_environment(dir, false);
    config.set("FLAG_QUEUE_V1", on);
    EXPECT_TRUE(has_blueprint(*raptor::api::create_app(config), "queues")) << on;
  }
  for (const char* off : {"0", "false", "no", "off", "", "2"}) {
    TempDir dir;
    web::Config config = raptor_environment(dir, false);
    config.set("FLAG_QUEUE_V1", off);
    EXPECT_FALSE(has_blueprint(*raptor::api::create_app(config), "queues")) << off;
  }
}

TEST(RaptorApp, QueueErrorsSpeakQueuesFormatRaptorsSpeakRaptors) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));

  expect_queue_error(dispatch(*app, "GET", "/api/v1/queues/orders/nope"), 404, "not_found");
  web::Response wrong_method = dispatch(*app, "DELETE", "/api/v1/queues");
  expect_queue_error(wrong_method, 405, "method_not_allowed");
  EXPECT_TRUE(wrong_method.header("Allow").has_value());
  expect_queue_error(dispatch(*app, "GET", "/api/v1/queues?limit=0"), 400, "invalid_request");
  expect_queue_error(dispatch(*app, "GET", "/api/v1/queues?limit=ten"), 400, "invalid_request");

  expect_raptor_error(dispatch(*app, "GET", "/api/v1/raptor/nope"), 404, "not_found");
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/nothing-here"), 404, "not_found");
}

TEST(RaptorApp, AThrowingQueueHandlerAnswersQueues500AndHarmsNothingElse) {
  TempDir dir;
  // Raptor's factory, then Queue's real blueprints mounted as the factory mounts them,
  // one of them carrying an extra route that throws.
  auto app = raptor::api::create_app(raptor_environment(dir, false));
  std::vector<web::Blueprint> blueprints = queue::create_queue_blueprints(raptor_environment(dir, true));
  for (web::Blueprint& blueprint : blueprints) {
    if (blueprint.name() == "queues") {
      blueprint.route("GET", "/boom", [](web::Request&) -> web::Response {
        throw std::runtime_error("kaboom: secret internals");
      });
    }
    app->register_blueprint(std::move(blueprint), queue::contract::api_mount_prefix);
  }
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));

  testing::internal::CaptureStdout();
  web::Response boom = dispatch(*app, "GET", "/api/v1/queues/boom", {{"X-Request-ID", "req-boom-42"}});
  std::string logs = testing::internal::GetCapturedStdout();

  expect_queue_error(boom, 500, "internal_error");
  EXPECT_EQ(boom.header("X-Request-ID"), "req-boom-42");
  EXPECT_EQ(json_of(boom).at("error").at("request_id"), "req-boom-42");
  EXPECT_EQ(boom.body.find("kaboom"), std::string::npos) << "a 500 must not leak internals: " << boom.body;
  EXPECT_NE(logs.find("request_id=req-boom-42"), std::string::npos) << logs;
  EXPECT_NE(logs.find("level=error"), std::string::npos) << logs;

  // The process, Raptor and the rest of Queue carry on.
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
  expect_raptor_error(dispatch(*app, "GET", "/api/v1/raptor/nope"), 404, "not_found");
  EXPECT_EQ(dispatch(*app, "GET", "/api/v1/queues").status, 200);
}

TEST(RaptorApp, QueueThatCannotOpenItsStorageAnswers503WhileRaptorServes) {
  web::Config config(web::Config::Values{{"FLAG_QUEUE_V1", "1"}, {"QUEUE_DATABASE_URL", "sqlite:/proc/forbidden/q.db"}});
  auto app = raptor::api::create_app(config);

  web::Response list = dispatch(*app, "GET", "/api/v1/queues");
  expect_queue_error(list, 503, "unavailable");
  ASSERT_TRUE(list.header("Retry-After").has_value());
  EXPECT_GE(std::stoi(std::string(*list.header("Retry-After"))), 1);
  EXPECT_EQ(list.body.find("/proc/forbidden"), std::string::npos) << "paths belong in logs: " << list.body;

  expect_queue_error(dispatch(*app, "GET", "/api/v1/queue/readyz"), 503, "unavailable");
  EXPECT_EQ(dispatch(*app, "GET", "/api/v1/queue/healthz").status, 200);
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
  EXPECT_EQ(dispatch(*app, "GET", "/api/v1/raptor/version").status, 200);
}

TEST(RaptorApp, QueueBecomesReadyWhenItsStorageDoes) {
  TempDir dir;
  // A regular file where the database's directory should be: opening fails until it is gone.
  std::filesystem::path blocker = dir.path() / "not-yet";
  std::ofstream(blocker) << "in the way";
  web::Config config(web::Config::Values{{"FLAG_QUEUE_V1", "1"},
                      {"QUEUE_DATABASE_URL", "sqlite:" + (blocker / "q.db").string()},
                      {"QUEUE_OPEN_RETRY_MIN_MS", "10"},
                      {"QUEUE_OPEN_RETRY_MAX_MS", "50"}});
  auto app = raptor::api::create_app(config);
  expect_queue_error(dispatch(*app, "GET", "/api/v1/queues"), 503, "unavailable");

  std::filesystem::remove(blocker);
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queues", 200));
  EXPECT_TRUE(std::filesystem::exists(blocker / "q.db"));
}

TEST(RaptorApp, MisconfiguredQueueAnswers503AndRaptorStillStarts) {
  web::Config config(web::Config::Values{{"FLAG_QUEUE_V1", "1"}, {"QUEUE_DURABILITY", "sometimes"}});
  std::unique_ptr<web::App> app;
  ASSERT_NO_THROW(app = raptor::api::create_app(config));
  web::Response list = dispatch(*app, "GET", "/api/v1/queues");
  expect_queue_error(list, 503, "unavailable");
  EXPECT_NE(list.body.find("misconfigured"), std::string::npos) << list.body;
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
}

TEST(RaptorApp, ShutdownStopsQueueAndLeavesRaptorAnswering) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queues", 200));
  app->shutdown();
  web::Response list = dispatch(*app, "GET", "/api/v1/queues");
  expect_queue_error(list, 503, "unavailable");
  EXPECT_NE(list.body.find("shutting down"), std::string::npos) << list.body;
  EXPECT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
}

TEST(RaptorApp, QueueRefusesAPublicAddressWithoutTokens) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  try {
    app->before_serving(web::ServingInfo{"0.0.0.0", 5000, false});
    FAIL() << "served on 0.0.0.0 without QUEUE_API_TOKENS";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("QUEUE_API_TOKENS"), std::string::npos) << error.what();
  }
  EXPECT_NO_THROW(app->before_serving(web::ServingInfo{"127.0.0.1", 5000, true}));

  web::Config with_tokens = raptor_environment(dir, true);
  with_tokens.set("QUEUE_API_TOKENS", "ops:t0ps3cret:admin");
  EXPECT_NO_THROW(raptor::api::create_app(with_tokens)->before_serving(web::ServingInfo{"0.0.0.0", 5000, false}));

  // Without Queue mounted there is nothing to protect.
  EXPECT_NO_THROW(raptor::api::create_app(raptor_environment(dir, false))->before_serving(
      web::ServingInfo{"0.0.0.0", 5000, false}));
}

TEST(QueueStandaloneApp, ServesTheSameBlueprintsAtTheSamePaths) {
  TempDir dir;
  auto app = queue::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  web::Response list = dispatch(*app, "GET", "/api/v1/queues");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(json_of(list), json::parse(R"({"queues":[],"next_cursor":null})"));
  // Alone, even paths outside its blueprints speak Queue's format.
  expect_queue_error(dispatch(*app, "GET", "/healthz"), 404, "not_found");
}

TEST(QueueStandaloneApp, RefusesToStartMisconfigured) {
  EXPECT_THROW(queue::create_app(web::Config(web::Config::Values{{"QUEUE_DURABILITY", "sometimes"}})), std::invalid_argument);
  EXPECT_THROW(queue::create_app(web::Config(web::Config::Values{{"QUEUE_OPEN_RETRY_MIN_MS", "soon"}})), std::invalid_argument);
}

}  // namespace
