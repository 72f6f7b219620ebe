// A thin RAII layer over the SQLite C API: a connection that caches its prepared
// statements, and Query, one use of a cached statement.
//
// Statements are prepared once with SQLITE_PREPARE_PERSISTENT and kept for the
// connection's life, keyed by their SQL text; a Query binds, steps and, when it goes
// out of scope, resets the statement for the next use. Hot paths (send, receive,
// ack) therefore never parse SQL. Errors become core::StoreError: `unavailable` for
// conditions that may pass (busy, disk full, I/O), `internal` for the rest.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace queue::storage::sqlite {

[[noreturn]] void throw_store_error(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class Query {
 public:
  explicit Query(Statement& statement) : statement_(statement.get()) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters are 1-based, as in SQL.
  Query& bind(int index, std::int64_t value);
  Query& bind(int index, std::string_view text);
  Query& bind(int index, const std::optional<std::string>& text);  // NULL when empty
  Query& bind_null(int index);

  // true: a row is ready to read; false: done.
  bool step();
  // Runs a statement that returns no rows; returns sqlite3_changes().
  std::int64_t run();

  std::int64_t int64(int column) const { return sqlite3_column_int64(statement_, column); }
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* statement_;
};

class Database {
 public:
  // Opens (creating if needed) `filename` ("" or ":memory:" for memory). Throws
  // std::runtime_error with SQLite's explanation when it cannot.
  explicit Database(const std::string& filename);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows (schema, pragmas).
  void exec(std::string_view sql);
  // A cached statement for `sql`, ready to bind.
  Query query(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* handle() const { return db_; }

 private:
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>, TransparentHash, std::equal_to<>> statements_;
};

}  // namespace queue::storage::sqlite
