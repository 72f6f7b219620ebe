// Where Queue agrees to be served, as Raptor mounts it (create_queue_blueprints):
// no tokens means loopback only, and tokens that cannot be parsed fail closed (every
// Queue route 503) without keeping Raptor from starting on its public address.
#include <gtest/gtest.h>

#include "queue/api/app.h"
#include "queue/contract/version.h"
#include "tests/integration/in_process.h"
#include "tests/integration/temp_dir.h"

namespace queue_api_test {
namespace {

// A host app like Raptor's, with Queue's blueprints at /api/v1.
std::unique_ptr<web::App> host_app(const web::Config& config) {
  auto app = std::make_unique<web::App>("host", config);
  for (web::Blueprint& blueprint : queue::create_queue_blueprints(config)) {
    app->register_blueprint(std::move(blueprint), queue::contract::api_mount_prefix);
  }
  return app;
}

const web::ServingInfo public_address{"0.0.0.0", 5000, false};
const web::ServingInfo loopback_address{"127.0.0.1", 5000, true};

TEST(ServingGuard, WithoutTokensQueueServesLoopbackOnly) {
  test_support::TempDir dir;
  auto app = host_app(web::Config({{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("q.db")}}));
  EXPECT_NO_THROW(app->before_serving(loopback_address));
  try {
    app->before_serving(public_address);
    ADD_FAILURE() << "served a public address without tokens";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("QUEUE_API_TOKENS"), std::string::npos) << error.what();
  }
  app->shutdown();
}

TEST(ServingGuard, WithTokensAnyAddressWillDo) {
  test_support::TempDir dir;
  auto app = host_app(web::Config({{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("q.db")},
                                   {"QUEUE_API_TOKENS", "ops:ops-secret-1:admin"}}));
  EXPECT_NO_THROW(app->before_serving(public_address));
  app->shutdown();
}

TEST(ServingGuard, MalformedTokensInAHostFailClosedWithoutStoppingIt) {
  test_support::TempDir dir;
  auto app = host_app(web::Config({{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("q.db")},
                                   {"QUEUE_API_TOKENS", "ops:short:admin"}}));
  // The host still starts anywhere: Queue serves nothing but 503s, so it exposes nothing.
  EXPECT_NO_THROW(app->before_serving(public_address));
  web::Response list = test_support::dispatch(*app, "GET", "/api/v1/queues");
  EXPECT_EQ(list.status, 503) << list.body;
  EXPECT_EQ(test_support::json_of(list).at("error").at("code"), "unavailable");
  EXPECT_TRUE(list.header("Retry-After"));
  app->shutdown();
}

}  // namespace
}  // namespace queue_api_test
