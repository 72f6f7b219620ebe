// Raptor and Queue share one environment (ADR-0066); each reads only its own keys.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>

#include "backend_v2/api/app_factory.h"
#include "backend_v2/config/feature_flags.h"
#include "backend_v2/config/settings.h"
#include "queue/api/settings.h"
#include "tests/integration/in_process.h"
#include "tests/integration/temp_dir.h"
#include "web/config.h"

namespace {

using test_support::TempDir;

// Keys that look alike on purpose: each side must pick its own.
web::Config colliding_environment() {
  return web::Config(web::Config::Values{{"DATABASE_URL", "postgres://raptor:pw@db/raptor"},
                      {"QUEUE_DATABASE_URL", "sqlite:/var/queue/queue.db"},
                      {"PORT", "6000"},
                      {"QUEUE_PORT", "7000"},
                      {"HOST", "127.0.0.2"},
                      {"QUEUE_HOST", "0.0.0.0"},
                      {"LOG_LEVEL", "warn"},
                      {"QUEUE_LOG_LEVEL", "debug"},
                      {"API_TOKENS", "raptor:not-queues:admin"},
                      {"QUEUE_API_TOKENS", "ops:t0ps3cret:admin"},
                      {"DURABILITY", "os"},
                      {"RAPTOR_ENV", "staging"},
                      {"FLAG_QUEUE_V1", "1"}});
}

TEST(ConfigNamespacing, QueueReadsOnlyQueueKeys) {
  queue::api::Settings settings = queue::api::load_settings(colliding_environment());
  EXPECT_EQ(settings.database_url, "sqlite:/var/queue/queue.db");
  EXPECT_EQ(settings.api_tokens, "ops:t0ps3cret:admin");
  EXPECT_EQ(settings.durability, "fsync") << "DURABILITY is not QUEUE_DURABILITY";
}

TEST(ConfigNamespacing, QueueIgnoresPlatformKeysEvenWhenItsOwnAreAbsent) {
  queue::api::Settings settings = queue::api::load_settings(
      web::Config(web::Config::Values{{"DATABASE_URL", "sqlite:/raptor.db"}, {"API_TOKENS", "x:y:admin"}, {"DURABILITY", "os"}}));
  EXPECT_EQ(settings.database_url, queue::api::default_database_url);
  EXPECT_EQ(settings.api_tokens, "");
  EXPECT_EQ(settings.durability, "fsync");
}

TEST(ConfigNamespacing, RaptorReadsOnlyPlatformAndRaptorKeys) {
  raptor::config::Settings settings = raptor::config::Settings::load(colliding_environment());
  EXPECT_EQ(settings.database_url, "postgres://raptor:pw@db/raptor");
  EXPECT_EQ(settings.port, 6000);
  EXPECT_EQ(settings.host, "127.0.0.2");
  EXPECT_EQ(settings.log_level, common::log::Level::warn);
  EXPECT_EQ(settings.environment, "staging");
  EXPECT_TRUE(raptor::config::FeatureFlags::load(colliding_environment()).queue_v1);
}

TEST(ConfigNamespacing, RaptorIgnoresQueueKeysEvenWhenItsOwnAreAbsent) {
  web::Config queue_only(web::Config::Values{{"QUEUE_DATABASE_URL", "sqlite:/q.db"},
                          {"QUEUE_PORT", "7000"},
                          {"QUEUE_HOST", "0.0.0.0"},
                          {"QUEUE_LOG_LEVEL", "debug"},
                          {"QUEUE_FLAG_QUEUE_V1", "1"}});
  raptor::config::Settings settings = raptor::config::Settings::load(queue_only);
  EXPECT_EQ(settings.database_url, "");
  EXPECT_EQ(settings.port, 5000);
  EXPECT_EQ(settings.host, "127.0.0.1");
  EXPECT_EQ(settings.log_level, common::log::Level::info);
  EXPECT_FALSE(raptor::config::FeatureFlags::load(queue_only).queue_v1);

  web::Config view = raptor::config::raptor_view(colliding_environment());
  for (const auto& [key, value] : view.values()) {
    EXPECT_FALSE(key.starts_with("QUEUE_")) << key << " leaked into Raptor's view";
  }
  EXPECT_FALSE(view.get("API_TOKENS").has_value());
}

TEST(ConfigNamespacing, MalformedValuesAreNamedNotCrashed) {
  try {
    raptor::config::Settings::load(web::Config(web::Config::Values{{"PORT", "fifty"}}));
    FAIL() << "PORT=fifty accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("PORT"), std::string::npos) << error.what();
  }
  try {
    queue::api::load_settings(web::Config(web::Config::Values{{"QUEUE_DURABILITY", "sometimes"}}));
    FAIL() << "QUEUE_DURABILITY=sometimes accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("QUEUE_DURABILITY"), std::string::npos) << error.what();
  }
  EXPECT_THROW(queue::api::load_settings(web::Config(web::Config::Values{{"QUEUE_DATABASE_URL", ""}})), std::invalid_argument);
}

TEST(ConfigNamespacing, MountedQueueOpensQueueDatabaseUrlNotDatabaseUrl) {
  TempDir dir;
  web::Config config(web::Config::Values{{"FLAG_QUEUE_V1", "1"},
                      {"DATABASE_URL", "sqlite:" + dir.file("raptor.db")},
                      {"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")}});
  auto app = raptor::api::create_app(config);
  ASSERT_TRUE(test_support::wait_for_status(*app, "/api/v1/queue/readyz", 200));
  EXPECT_TRUE(std::filesystem::exists(dir.file("queue.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("raptor.db")));
}

TEST(ConfigNamespacing, DatabaseUrlPasswordsStayOutOfLogs) {
  EXPECT_EQ(queue::api::redacted_database_url("postgres://queue:s3cret@db:5432/queue"),
            "postgres://queue:***@db:5432/queue");
  EXPECT_EQ(queue::api::redacted_database_url("postgres://queue@db/queue"), "postgres://queue@db/queue");
  EXPECT_EQ(queue::api::redacted_database_url("sqlite:./data/queue.db"), "sqlite:./data/queue.db");
}

}  // namespace
