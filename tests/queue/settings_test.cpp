// QUEUE_DB_POOL_SIZE: range-checked, SQLite and the log only ever 1, a clear error
// naming the key. QUEUE_DATABASE_URL's default, and an installation that still has
// data under the previous default.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
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

TEST(PoolSizeSetting, RefusesAPoolOnTheLog) {
  std::string message = refusal("log:./data/queue", "2");
  EXPECT_NE(message.find("QUEUE_DB_POOL_SIZE"), std::string::npos) << message;
}

// Runs the test in a fresh working directory (./data/... is relative to it).
class InTempWorkingDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = std::filesystem::current_path();
    std::string pattern = (std::filesystem::temp_directory_path() / "queue-settings-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::filesystem::current_path(dir_);
  }
  void TearDown() override {
    std::filesystem::current_path(previous_);
    std::filesystem::remove_all(dir_);
  }
  static Settings load_without_url() { return load_settings(web::Config(web::Config::Values{})); }

 private:
  std::filesystem::path previous_;
  std::filesystem::path dir_;
};

TEST_F(InTempWorkingDirectory, TheDefaultIsTheMessageLog) {
  Settings settings = load_without_url();
  EXPECT_EQ(settings.database_url, "log:./data/queue");
  EXPECT_FALSE(settings.kept_previous_default);
}

TEST_F(InTempWorkingDirectory, DataUnderThePreviousDefaultKeepsBeingUsed) {
  std::filesystem::create_directories("data");
  std::ofstream("data/queue.db") << "SQLite format 3";
  Settings settings = load_without_url();
  EXPECT_EQ(settings.database_url, "sqlite:./data/queue.db");
  EXPECT_TRUE(settings.kept_previous_default);
  // Once the log exists too, the default is the log again; an explicit URL always wins.
  std::filesystem::create_directories("data/queue");
  EXPECT_EQ(load_without_url().database_url, "log:./data/queue");
  EXPECT_EQ(load("sqlite:./data/queue.db", std::nullopt).database_url, "sqlite:./data/queue.db");
  EXPECT_FALSE(load("log:./elsewhere", std::nullopt).kept_previous_default);
}

}  // namespace
