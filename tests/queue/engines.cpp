#include "engines.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace queue::testing {
namespace {

EngineKind running_engine = EngineKind::sqlite;

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string_view(ci) == "true";
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

}  // namespace

static const char* kind_name(EngineKind kind) {
  switch (kind) {
    case EngineKind::sqlite:
      return "sqlite";
    case EngineKind::postgres:
      return "postgres";
    case EngineKind::log:
      return "log";
  }
  return "?";
}

void PrintTo(EngineKind kind, std::ostream* out) { *out << kind_name(kind); }

EngineKind current_engine() { return running_engine; }
void set_current_engine(EngineKind kind) { running_engine = kind; }

std::optional<std::string> postgres_server_url() {
  const char* url = std::getenv("QUEUE_TEST_POSTGRES_URL");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

std::string with_postgres_option(const std::string& url, const std::string& option) {
  // libpq URL query parameter `options` carries server settings: -c key=value,
  // percent-encoded ('=' as %3D, ' ' as %20).
  std::string encoded;
  for (char c : option) {
    if (c == '=') {
      encoded += "%3D";
    } else if (c == ' ') {
      encoded += "%20";
    } else {
      encoded.push_back(c);
    }
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c" + encoded;
}

std::unique_ptr<storage::postgres::Session> admin_session(const std::string& url) {
  return std::make_unique<storage::postgres::Session>(url);
}

TestDatabase::TestDatabase(EngineKind kind, bool persistent) : kind_(kind) {
  if (kind == EngineKind::log) {
    std::string pattern = (std::filesystem::temp_directory_path() / "queue-log-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    url_ = "log:" + dir_ + "/queue?segment_mib=2";
    return;
  }
  if (kind == EngineKind::sqlite) {
    if (!persistent) {
      url_ = "sqlite::memory:";
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "queue-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    url_ = "sqlite:" + dir_ + "/queue.db";
    return;
  }
  auto server = postgres_server_url();
  if (!server) throw std::runtime_error("QUEUE_TEST_POSTGRES_URL is not set");
  schema_ = "test_" + unique_suffix();
  admin_session(*server)->exec("CREATE SCHEMA " + storage::postgres::quote_identifier(schema_));
  url_ = with_postgres_option(*server, "search_path=" + schema_);
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  if (!schema_.empty()) {
    try {
      admin_session(*postgres_server_url())
          ->exec("DROP SCHEMA IF EXISTS " + storage::postgres::quote_identifier(schema_) + " CASCADE");
    } catch (const std::exception& e) {
      // A test that stopped the server leaves its schema behind; the cluster is thrown away anyway.
      std::fprintf(stderr, "note: could not drop schema %s: %s\n", schema_.c_str(), e.what());
    }
  }
}

void require_postgres() {
  if (postgres_server_url()) return;
  if (in_ci()) {
    FAIL() << "QUEUE_TEST_POSTGRES_URL is not set: CI must run the PostgreSQL tests "
              "(scripts/test starts a throwaway server; see scripts/with-postgres)";
  }
  GTEST_SKIP() << "\n*** PostgreSQL NOT TESTED: QUEUE_TEST_POSTGRES_URL is not set. ***\n"
                  "*** Run through scripts/with-postgres (or scripts/test) to test it. ***";
}

void EngineTest::SetUp() {
  running_engine = GetParam();
  if (GetParam() == EngineKind::postgres) require_postgres();
}

std::string engine_name(const ::testing::TestParamInfo<EngineKind>& info) {
  return kind_name(info.param);
}

}  // namespace queue::testing
