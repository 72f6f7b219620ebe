// PostgreSQL schema migrations: ten processes starting at once migrate once.
#include <latch>
#include <thread>

#include "postgres_fixture.h"
#include "queue/storage/open.h"
#include "queue/storage/postgres/schema.h"

namespace queue::testing {
namespace {

using Migrations = PostgresTest;

std::int64_t scalar(const std::string& url, const std::string& sql) {
  return admin_session(url)->run(sql).int64(0, 0);
}

TEST_F(Migrations, TenStoresOpeningAtOnceMigrateOnce) {
  TestDatabase database;
  constexpr int stores = 10;
  std::latch start(stores);
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  std::vector<std::string> errors(stores);
  // Each store has its own connection: to the server, ten processes.
  for (int i = 0; i < stores; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        auto store = storage::open_store({database.url()});
        ++opened;
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(opened, stores);
  // One row per version, written by one backend: the others found nothing to do.
  EXPECT_EQ(scalar(database.url(), "SELECT count(*) FROM queue_schema_version"), storage::postgres::schema_version);
  EXPECT_EQ(scalar(database.url(), "SELECT count(DISTINCT applied_by) FROM queue_schema_version"), 1);
  EXPECT_EQ(scalar(database.url(), "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                                   "AND tablename LIKE 'queue\\_%'"),
            7);
}

TEST_F(Migrations, CountsAreBackfilledForMessagesStoredBeforeThem) {
  TestDatabase database;
  {
    auto store = storage::open_store({database.url()});
    std::vector<core::NewMessage> three(3, core::NewMessage{"x", {}, std::nullopt, std::nullopt, 0});
    store->begin(false);
    for (const char* name : {"a", "b", "empty"}) store->create_queue(name, core::QueueAttributes{}, 0);
    store->send(*store->find_queue("a"), three, 0);
    store->send(*store->find_queue("b"), std::span(three).first(1), 0);
    store->commit();
  }
  // Back to schema version 2: the messages stay, their counts go.
  admin_session(database.url())
      ->exec("DROP TABLE queue_counts, queue_count_deltas; "
             "DROP FUNCTION queue_count_added, queue_count_removed, queue_count_moved, queue_count_created CASCADE; "
             "DELETE FROM queue_schema_version WHERE version = 3");
  auto store = storage::open_store({database.url()});
  store->begin(false);
  EXPECT_EQ(store->stats(store->find_queue("a")->id, 0).visible, 3);
  EXPECT_EQ(store->stats(store->find_queue("b")->id, 0).visible, 1);
  EXPECT_EQ(store->stats(store->find_queue("empty")->id, 0).visible, 0);
  store->commit();
}

TEST_F(Migrations, NewerSchemaIsRefusedWithAClearMessage) {
  TestDatabase database;
  { auto store = storage::open_store({database.url()}); }
  admin_session(database.url())->exec("SET search_path = " + database.schema() +
                                      "; INSERT INTO queue_schema_version (version) VALUES (99)");
  try {
    storage::open_store({database.url()});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST_F(Migrations, UnreachableServerIsAClearError) {
  try {
    storage::open_store({"postgres://queue@127.0.0.1:1/queue"});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open PostgreSQL database"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace queue::testing
