// Durability across close and reopen (every engine), and the SQLite file's own
// properties: WAL, migrations, one process per file.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "queue/storage/sqlite/schema.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Durability);

TEST_P(Durability, MessagesLeasesAndAcksSurviveReopen) {
  ServiceHarness h({}, /*persistent=*/true, storage::Durability::fsync);
  AttributesPatch patch;
  patch.visibility_timeout_s = 60;
  h.create("q", patch);
  ASSERT_TRUE(h.send("q", {message("acked"), message("leased"), message("waiting")}).ok());
  auto first = h.receive_ok("q");
  h.ack("q", {first[0].receipt});
  auto leased = h.receive_ok("q");

  h.restart_service();

  EXPECT_EQ(h.get("q").value().attributes.visibility_timeout_s, 60);
  if (current_engine() == EngineKind::log) {
    // The message log keeps leases in memory only (log_store.h): the message in
    // flight is visible again at once, and its old receipt is stale.
    auto again = h.receive_ok("q", 10);
    EXPECT_EQ(bodies(again), (std::vector<std::string>{"leased", "waiting"}));
    EXPECT_EQ(h.ack("q", {leased[0].receipt}).value().acked, 0);
    EXPECT_EQ(h.ack("q", {again[0].receipt, again[1].receipt}).value().acked, 2);
    h.advance_ms(120'000);
    EXPECT_TRUE(h.receive_ok("q", 10).empty());  // "acked" never comes back
    return;
  }
  EXPECT_EQ(bodies(h.receive_ok("q", 10)), (std::vector<std::string>{"waiting"}));
  // The lease is durable too: its receipt still works after the restart.
  EXPECT_EQ(h.ack("q", {leased[0].receipt}).value().acked, 1);
  h.advance_ms(120'000);
  auto remaining = h.receive_ok("q", 10);
  EXPECT_EQ(bodies(remaining), (std::vector<std::string>{"waiting"}));  // "acked" never comes back
}

TEST_P(Durability, MessageIdsAreNeverReused) {
  ServiceHarness h({}, /*persistent=*/true);
  h.create("q");
  std::string first = h.send_one("q", "a");
  auto got = h.receive_ok("q");
  h.ack("q", {got[0].receipt});
  h.restart_service();
  EXPECT_NE(h.send_one("q", "b"), first);
}

// --- the SQLite file ---

struct SqliteFile {
  TestDatabase database{EngineKind::sqlite, /*persistent=*/true};
  std::string url = database.url();
  std::string path = url.substr(std::string_view("sqlite:").size());
};

std::int64_t single_int(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK);
  std::int64_t value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(SqliteFile, MigrationsAreIdempotentOnReopen) {
  SqliteFile file;
  { auto store = storage::open_store({file.url}); }
  { auto store = storage::open_store({file.url}); }
  { auto store = storage::open_store({"sqlite://" + file.path}); }
  EXPECT_EQ(single_int(file.path, "SELECT count(*) FROM schema_version"), storage::sqlite::schema_version);
  EXPECT_EQ(single_int(file.path, "SELECT max(version) FROM schema_version"), storage::sqlite::schema_version);
}

// Stats read queue_counts (kept by triggers) instead of counting the backlog: the
// counts follow every kind of change and are still right after a restart.
TEST(SqliteFile, StatsCountsFollowEveryChangeAndSurviveARestart) {
  ServiceHarness h({}, /*persistent=*/true);
  h.create("orders-dlq");
  AttributesPatch patch;
  patch.dead_letter = DeadLetterPolicy{"orders-dlq", 1};
  patch.visibility_timeout_s = 10;
  h.create("orders", patch);
  OutgoingMessage later = message("later");
  later.delay_s = 60;
  ASSERT_TRUE(h.send("orders", {message("a"), message("b"), message("c"), message("d"), later}).ok());
  auto received = h.receive_ok("orders", 2);
  ASSERT_EQ(received.size(), 2u);
  ASSERT_TRUE(h.ack("orders", {received[0].receipt}).ok());
  QueueStats stats = h.stats("orders");
  EXPECT_EQ(stats.visible, 2);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.delayed, 1);

  h.restart_service();
  stats = h.stats("orders");
  EXPECT_EQ(stats.visible, 2);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.delayed, 1);

  // The lease runs out; the next delivery would be the second: a dead-letter move.
  h.advance_ms(10'000);
  EXPECT_EQ(h.receive_ok("orders", 10).size(), 2u);  // c and d; b moved instead
  EXPECT_EQ(h.stats("orders-dlq").visible, 1);
  stats = h.stats("orders");
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 3);

  ASSERT_TRUE(await<PurgeResult>([&](auto done) { h.service().purge("orders", done); }).ok());
  stats = h.stats("orders");
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
  EXPECT_EQ(stats.oldest_age_s, 0);
}

TEST(SqliteFile, DatabaseIsInWalMode) {
  SqliteFile file;
  { auto store = storage::open_store({file.url}); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(SqliteFile, NewerSchemaIsRefusedWithAClearMessage) {
  SqliteFile file;
  { auto store = storage::open_store({file.url}); }
  exec(file.path, "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
  try {
    storage::open_store({file.url});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST(SqliteFile, SecondOpenOfTheSameFileIsRefused) {
  SqliteFile file;
  auto first = storage::open_store({file.url});
  try {
    storage::open_store({file.url});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another Queue process"), std::string::npos) << e.what();
  }
}

// How many WAL frames checkpoints have copied into the database since the WAL last
// started over: nBackfill, the u32 at byte 96 of the WAL index (the -shm file), in
// native byte order (https://sqlite.org/walformat.html, "The WAL-Index Header").
// This is SQLite's own record that a checkpoint ran, so a test can wait for that
// event rather than guess it from file sizes.
std::uint32_t frames_checkpointed(const std::string& database_path) {
  std::ifstream shm(database_path + "-shm", std::ios::binary);
  std::uint32_t backfilled = 0;
  shm.seekg(96);
  shm.read(reinterpret_cast<char*>(&backfilled), sizeof backfilled);
  return shm ? backfilled : 0;
}

// Checkpoints run on the checkpointer's thread, not in a commit: the store turns
// SQLite's automatic checkpoint off, so frames copied while nobody commits were copied
// by that thread. And under steady writes the WAL starts over instead of growing
// without bound (the writer finishes a checkpoint itself past the hard limit, 16,000
// pages).
TEST(SqliteFile, WalIsCheckpointedOffTheRequestPathAndStaysBounded) {
  SqliteFile file;
  auto store = storage::open_store({file.url, storage::Durability::os});
  store->begin(true);
  QueueRecord queue = store->create_queue("q", QueueAttributes{}, 0);
  store->commit();
  // 200 KB bodies: about 50 pages each, so the limits are reached in few commits.
  std::vector<NewMessage> batch(1);
  batch[0].body = std::string(200'000, 'x');
  auto send = [&] {
    store->begin(true);
    store->send(queue, batch, 0);
    store->commit();
  };
  auto size_of = [](const std::string& path) {
    std::error_code error;
    auto size = std::filesystem::file_size(path, error);
    return error ? std::uintmax_t{0} : size;
  };
  constexpr std::uintmax_t page = 4096 + 24;  // a WAL frame

  // Past the soft limit (1,000 pages) the checkpointer is due; whether its pass ends
  // before or after the last of these commits is up to the scheduler, so the test
  // waits for the pass itself (the deadline only bounds a broken checkpointer).
  while (size_of(file.path + "-wal") < 1'200 * page) send();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (frames_checkpointed(file.path) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(frames_checkpointed(file.path), 0u) << "nothing was checkpointed off the request path";
  EXPECT_GT(size_of(file.path), 100 * 4096u) << "the checkpointed pages are not in the database file";

  std::uintmax_t largest_wal = 0;
  for (int i = 0; i < 1'000; ++i) {  // ~200 MB through the WAL, 50,000 pages
    send();
    largest_wal = std::max(largest_wal, size_of(file.path + "-wal"));
  }
  EXPECT_LT(largest_wal, 20'000 * page);
}

}  // namespace
}  // namespace queue::testing
