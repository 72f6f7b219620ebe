#include "queue/storage/sqlite/database.h"

#include <stdexcept>

#include "queue/core/store.h"

namespace queue::storage::sqlite {
namespace {

// Conditions an operator can fix or that pass by themselves: "try again later".
bool is_transient(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace

void throw_store_error(sqlite3* db, int rc, std::string_view what) {
  std::string message = "sqlite: " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  throw core::StoreError(is_transient(rc) ? core::ErrorCode::unavailable : core::ErrorCode::internal, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement_,
                              nullptr);
  if (rc != SQLITE_OK) throw_store_error(db, rc, "prepare");
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Query::~Query() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Query& Query::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Query& Query::bind(int index, std::string_view text) {
  // TRANSIENT (SQLite copies): binding a temporary must not leave a dangling pointer.
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Query& Query::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Query& Query::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool Query::step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_store_error(sqlite3_db_handle(statement_), rc, "step");
}

std::int64_t Query::run() {
  while (step()) {
  }
  return sqlite3_changes64(sqlite3_db_handle(statement_));
}

std::string Query::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  int size = sqlite3_column_bytes(statement_, column);
  return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

Database::Database(const std::string& filename) {
  // NOMUTEX: one engine thread uses the connection, SQLite's own locking is waste.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(filename.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open SQLite database " + filename + ": " + reason);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  statements_.clear();  // finalize before close, or close fails with SQLITE_BUSY
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw core::StoreError(is_transient(rc) ? core::ErrorCode::unavailable : core::ErrorCode::internal,
                           "sqlite: " + message);
  }
}

Query Database::query(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  return Query(*it->second);
}

}  // namespace queue::storage::sqlite
