// The conformance suite's engines: every semantic test runs once per storage
// engine, the message log, SQLite and PostgreSQL, from the same source.
//
//   QUEUE_ENGINE_SUITE(Leases);                 // fixture + instantiation, once per file
//   TEST_P(Leases, AckDeletesTheMessage) {      // runs as Leases/AckDeletesTheMessage/sqlite
//     ServiceHarness h;                         //  and .../postgres, on a fresh database
//   }
//
// PostgreSQL comes from QUEUE_TEST_POSTGRES_URL (scripts/with-postgres sets it; so
// does scripts/test). Each test gets its own schema there, dropped afterwards, so
// tests never see each other's queues. Without the variable the PostgreSQL cases
// fail under CI (CI=true) and are skipped, loudly, on a developer's machine.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "queue/storage/postgres/session.h"

namespace queue::testing {

enum class EngineKind { sqlite, postgres, log };
void PrintTo(EngineKind kind, std::ostream* out);  // for GoogleTest's messages

// The engine of the running test: what ServiceHarness and TestDatabase open by
// default (EngineTest and PostgresTest set it; SQLite otherwise).
EngineKind current_engine();
void set_current_engine(EngineKind kind);

// The PostgreSQL server the tests use, or nullopt when none is configured.
std::optional<std::string> postgres_server_url();

// A fresh, empty database on one engine, removed at destruction.
//   SQLite: in memory, or (persistent) a file in a temp dir, so a store can be
//           closed and opened again.
//   Log: a temp dir (persistent or not), segments of the minimum size.
//   PostgreSQL: a schema of its own (search_path in the URL's options).
class TestDatabase {
 public:
  explicit TestDatabase(EngineKind kind = current_engine(), bool persistent = false);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  EngineKind kind() const { return kind_; }
  const std::string& url() const { return url_; }
  // PostgreSQL only: the schema's name.
  const std::string& schema() const { return schema_; }

 private:
  EngineKind kind_;
  std::string url_;
  std::string dir_;     // SQLite file's or the log's directory
  std::string schema_;  // PostgreSQL
};

// `url` with one more libpq option (`key=value`), e.g. search_path.
std::string with_postgres_option(const std::string& url, const std::string& option);

// An administrative connection to the test server (creating schemas, reading sizes).
std::unique_ptr<storage::postgres::Session> admin_session(const std::string& url);

// Fails the test under CI, skips it loudly elsewhere, when no server is configured.
// Call from SetUp (GTEST_SKIP/FAIL end the calling function only).
void require_postgres();

class EngineTest : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override;
};

std::string engine_name(const ::testing::TestParamInfo<EngineKind>& info);

}  // namespace queue::testing

// Runs a parameterised suite (TEST_P) on every engine.
#define QUEUE_ENGINE_INSTANTIATE(Suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(, Suite,                                                        \
                           ::testing::Values(::queue::testing::EngineKind::log,            \
                                             ::queue::testing::EngineKind::sqlite,         \
                                             ::queue::testing::EngineKind::postgres),      \
                           ::queue::testing::engine_name)

#define QUEUE_ENGINE_SUITE(Suite)                       \
  class Suite : public ::queue::testing::EngineTest {}; \
  QUEUE_ENGINE_INSTANTIATE(Suite)
