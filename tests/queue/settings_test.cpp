// QUEUE_DB_POOL_SIZE: range-checked, SQLite only ever 1, a clear error naming the key.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "queue/api/settings.h"
#include "web/config.h"

namespace {

using queue::api::load_settings;
using queue::api::Settings;

const char* const postgres_url = "postgres://queue@db.example/queue";

Settings load(std::string database_url, std::optional<std::string> pool_size) {
  web::Config::Values values{{"QUEUE_DATABASE_URL", std::move(database_url)}};
  if (pool_size) values.emplace("QUEUE_DB_POOL_SIZE", *pool_size);
  return load_settings(web::Config(std::move(values)));
}

// The message of the std::invalid_argument `load` throws; "" when it accepts.
std::string refusal(std::string database_url, std::string pool_size) {
  try {
    load(std::move(database_url), std::move(pool_size));
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(PoolSizeSetting, AbsentMeansTheEnginesDefault) {
  EXPECT_EQ(load(postgres_url, std::nullopt).db_pool_size, std::nullopt);
  EXPECT_EQ(load("sqlite::memory:", std::nullopt).db_pool_size, std::nullopt);
}

TEST(PoolSizeSetting, AcceptsValuesInRangeOnPostgres) {
  EXPECT_EQ(load(postgres_url, "1").db_pool_size, 1);
  EXPECT_EQ(load(postgres_url, "8").db_pool_size, 8);
  EXPECT_EQ(load(postgres_url, "64").db_pool_size, 64);
  EXPECT_EQ(load("sqlite::memory:", "1").db_pool_size, 1);
}

TEST(PoolSizeSetting, RefusesMalformedAndOutOfRangeValuesNamingTheKey) {
  for (const char* bad : {"0", "-1", "65", "four", "4x", ""}) {
    std::string message = refusal(postgres_url, bad);
    EXPECT_NE(message.find("QUEUE_DB_POOL_SIZE"), std::string::npos) << bad << ": " << message;
  }
}

TEST(PoolSizeSetting, RefusesAPoolOnSqlite) {
  std::string message = refusal("sqlite:./data/queue.db", "2");
  EXPECT_NE(message.find("QUEUE_DB_POOL_SIZE"), std::string::npos) << message;
  EXPECT_NE(message.find("SQLite"), std::string::npos) << message;
}

}  // namespace
