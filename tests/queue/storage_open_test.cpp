// Database URLs and open_store's errors.
#include <gtest/gtest.h>

#include <filesystem>

#include "queue/storage/database_url.h"
#include "queue/storage/open.h"
#include "service_harness.h"
#include "tests/integration/temp_dir.h"

namespace queue::testing {
namespace {

using storage::Engine;
using storage::parse_database_url;
using test_support::TempDir;

TEST(DatabaseUrl, AcceptedForms) {
  EXPECT_EQ(parse_database_url("sqlite:./data/queue.db").path, "./data/queue.db");
  EXPECT_EQ(parse_database_url("sqlite:data/queue.db").path, "data/queue.db");
  EXPECT_EQ(parse_database_url("sqlite:/var/lib/q.db").path, "/var/lib/q.db");
  EXPECT_EQ(parse_database_url("sqlite:///var/lib/q.db").path, "/var/lib/q.db");
  EXPECT_EQ(parse_database_url("sqlite::memory:").path, ":memory:");
  EXPECT_EQ(parse_database_url("sqlite::memory:").engine, Engine::sqlite);
  EXPECT_EQ(parse_database_url("postgres://u:p@h:5432/db").engine, Engine::postgres);
  EXPECT_EQ(parse_database_url("postgresql://h/db").engine, Engine::postgres);
}

TEST(DatabaseUrl, TheMessageLogsForms) {
  EXPECT_EQ(parse_database_url("log:./data/queue").engine, Engine::log);
  EXPECT_EQ(parse_database_url("log:./data/queue").path, "./data/queue");
  EXPECT_EQ(parse_database_url("log:///var/lib/queue").path, "/var/lib/queue");
  EXPECT_EQ(parse_database_url("log:./q").segment_bytes, 0u);  // the engine's default
  EXPECT_EQ(parse_database_url("log:./q?segment_mib=64").segment_bytes, 64u << 20);
  EXPECT_EQ(parse_database_url("log:./q?segment_mib=64").path, "./q");
}

TEST(DatabaseUrl, RejectedForms) {
  for (const char* url : {"", "sqlite:", "mysql://h/db", "/tmp/q.db", "sqlite://host/q.db", "log:", "log://host/q",
                          "log:./q?segment_mib=1", "log:./q?segment_mib=x", "log:./q?segments=4"}) {
    EXPECT_THROW(parse_database_url(url), std::runtime_error) << url;
  }
}

TEST(OpenStore, TheLogCreatesItsDirectoryAndOneProcessOwnsIt) {
  TempDir dir;
  std::string url = "log:" + dir.file("a/b/queue");
  auto store = storage::open_store({url});
  EXPECT_TRUE(std::filesystem::is_directory(dir.file("a/b/queue")));
  try {
    storage::open_store({url});
    ADD_FAILURE() << "a second store opened the same log";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another Queue process"), std::string::npos) << e.what();
  }
}

TEST(OpenStore, CreatesMissingDirectories) {
  TempDir dir;
  std::string url = "sqlite:" + dir.file("a/b/queue.db");
  auto store = storage::open_store({url});
  EXPECT_TRUE(std::filesystem::exists(dir.file("a/b/queue.db")));
}

TEST(OpenStore, ExplainsWhatWentWrong) {
  auto message_of = [](const std::string& url) {
    try {
      storage::open_store({url});
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // Port 1 on loopback: nothing listens there, the refusal is immediate.
  EXPECT_NE(message_of("postgres://queue@127.0.0.1:1/db").find("cannot open PostgreSQL database"), std::string::npos);
  EXPECT_NE(message_of("ftp://x").find("unsupported database URL"), std::string::npos);
  EXPECT_NE(message_of("sqlite:/proc/no-such-dir/queue.db").find("cannot create directory /proc/no-such-dir"),
            std::string::npos);
  TempDir dir;
  std::filesystem::create_directory(dir.file("is-a-directory.db"));
  EXPECT_NE(message_of("sqlite:" + dir.file("is-a-directory.db")).find("cannot open SQLite database"),
            std::string::npos);
}

TEST(OpenStore, ParsesDurability) {
  EXPECT_EQ(storage::parse_durability("fsync"), storage::Durability::fsync);
  EXPECT_EQ(storage::parse_durability("os"), storage::Durability::os);
  EXPECT_THROW(storage::parse_durability("sometimes"), std::runtime_error);
}

TEST(StorePool, SizeDefaultsPerEngineAndIsRangeChecked) {
  EXPECT_EQ(storage::resolve_pool_size(Engine::sqlite, std::nullopt), 1);
  EXPECT_EQ(storage::resolve_pool_size(Engine::postgres, std::nullopt), 4);
  EXPECT_EQ(storage::resolve_pool_size(Engine::postgres, 3), 3);
  EXPECT_THROW(storage::resolve_pool_size(Engine::postgres, 0), std::runtime_error);
  EXPECT_THROW(storage::resolve_pool_size(Engine::postgres, storage::max_pool_size + 1), std::runtime_error);
}

TEST(StorePool, SqliteRunsOnExactlyOneStore) {
  EXPECT_EQ(storage::open_stores({"sqlite::memory:"}).size(), 1u);
  try {
    storage::open_stores({"sqlite::memory:", storage::Durability::os, 2});
    FAIL() << "a pool of 2 on SQLite was opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("SQLite runs on exactly one connection"), std::string::npos) << e.what();
  }
  // Two engines on embedded stores would not see each other's changes: the service refuses them too.
  std::vector<std::unique_ptr<Store>> two;
  two.push_back(storage::open_store({"sqlite::memory:"}));
  two.push_back(storage::open_store({"sqlite::memory:"}));
  EXPECT_THROW(QueueService(std::move(two), std::make_shared<ManualClock>()), std::invalid_argument);
  EXPECT_THROW(QueueService(std::vector<std::unique_ptr<Store>>{}, std::make_shared<ManualClock>()),
               std::invalid_argument);
}

}  // namespace
}  // namespace queue::testing
