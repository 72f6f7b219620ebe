#include "web/config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace web {
namespace {

TEST(Config, IsTruthyAcceptsTheUsualSpellingsInAnyCase) {
  for (const char* yes : {"1", "true", "TRUE", "Yes", "on", "ON"}) EXPECT_TRUE(is_truthy(yes)) << yes;
  for (const char* no : {"", "0", "false", "no", "off", "2", "truthy", " true"}) EXPECT_FALSE(is_truthy(no)) << no;
}

TEST(Config, GetAndFlag) {
  Config config({{"FLAG_QUEUE_V1", "on"}, {"NAME", "raptor"}});
  EXPECT_EQ(config.get("NAME"), "raptor");
  EXPECT_EQ(config.get("MISSING"), std::nullopt);
  EXPECT_EQ(config.get_or("MISSING", "fallback"), "fallback");
  EXPECT_TRUE(config.flag("FLAG_QUEUE_V1"));
  EXPECT_FALSE(config.flag("MISSING"));
  config.set("NAME", "queue");
  EXPECT_EQ(config.get("NAME"), "queue");
}

TEST(Config, ScopedKeepsOnlyItsPrefixWithKeysWhole) {
  Config config({{"QUEUE_DATABASE_URL", "sqlite:q.db"}, {"DATABASE_URL", "postgres://raptor"}, {"QUEUEX", "1"}});
  Config queue = config.scoped("QUEUE_");
  EXPECT_EQ(queue.get("QUEUE_DATABASE_URL"), "sqlite:q.db");
  EXPECT_EQ(queue.get("DATABASE_URL"), std::nullopt);  // Raptor's database is not Queue's business
  EXPECT_EQ(queue.get("QUEUEX"), std::nullopt);
  EXPECT_EQ(queue.values().size(), 1u);
}

TEST(Config, GetIntParsesWithinRangeAndFallsBackWhenAbsent) {
  Config config({{"QUEUE_THREADS", "8"}, {"QUEUE_NEGATIVE", "-3"}});
  EXPECT_EQ(config.get_int("QUEUE_THREADS", 1, 1, 64), 8);
  EXPECT_EQ(config.get_int("QUEUE_NEGATIVE", 0, -10, 10), -3);
  EXPECT_EQ(config.get_int("QUEUE_ABSENT", 42, 1, 64), 42);
}

TEST(Config, GetIntRejectsMalformedAndOutOfRangeNamingKeyAndRange) {
  Config config({{"QUEUE_A", "12abc"}, {"QUEUE_B", ""}, {"QUEUE_C", "65"}, {"QUEUE_D", " 5"},
                 {"QUEUE_E", "99999999999999999999999"}});
  for (const char* key : {"QUEUE_A", "QUEUE_B", "QUEUE_C", "QUEUE_D", "QUEUE_E"}) {
    try {
      config.get_int(key, 1, 1, 64);
      ADD_FAILURE() << key << " was accepted";
    } catch (const std::invalid_argument& e) {
      std::string message = e.what();
      EXPECT_NE(message.find(key), std::string::npos) << message;
      EXPECT_NE(message.find("[1, 64]"), std::string::npos) << message;
    }
  }
}

TEST(Config, FromEnvironmentReadsTheProcessEnvironment) {
  ::setenv("WEB_CONFIG_TEST_KEY", "a=b", 1);
  Config config = Config::from_environment();
  EXPECT_EQ(config.get("WEB_CONFIG_TEST_KEY"), "a=b");  // split at the first '=' only
  ::unsetenv("WEB_CONFIG_TEST_KEY");
}

}  // namespace
}  // namespace web
