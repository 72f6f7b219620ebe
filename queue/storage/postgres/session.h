// A thin layer over libpq: one connection that prepares each statement once, and
// the parameters and rows of one execution.
//
// Statements are prepared on first use and kept, keyed by their SQL text, for the
// connection's life (a reconnect forgets them and prepares again), so hot paths
// never make the server parse or plan a query twice. Parameters and results travel
// as text; batches travel as array literals (arrays.h), bodies as hex bytea.
//
// Errors become core::StoreError: `unavailable` for what may pass by itself (lost
// connection, server shutting down, too many connections, deadlock, serialization
// failure, out of disk), `internal` for the rest (a bug in our SQL).
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace queue::storage::postgres {

class Params {
 public:
  Params& add(std::int64_t value);
  Params& add(bool value);
  Params& add(std::string_view text);
  Params& add(const std::optional<std::string>& text);  // NULL when empty
  Params& add(const std::optional<std::int64_t>& value);
  Params& add_null();

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers valid while this object lives and is not changed.
  std::vector<const char*> values() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows of one result (text format).
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}

  int size() const { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::int64_t int64(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  bool boolean(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::string bytes(int row, int column) const;  // a bytea column
  // Rows a command touched (INSERT/UPDATE/DELETE without RETURNING).
  std::int64_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// One statement of a pipeline: SQL without parameters sent as it is, or a prepared
// statement with parameters. Either way exactly one statement (the extended protocol
// takes no "a; b").
struct Statement {
  std::string sql;
  Params params;
  bool prepared = false;

  static Statement simple(std::string sql) { return {std::move(sql), {}, false}; }
  static Statement with_params(std::string sql, Params params) { return {std::move(sql), std::move(params), true}; }
};

class Session {
 public:
  // Connects to `url` (a postgres:// URL or a libpq connection string). Throws
  // core::StoreError(unavailable) naming the server's complaint when it cannot.
  explicit Session(std::string url);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs `sql` with `params` as a prepared statement. `preamble` (statements
  // without parameters: BEGIN, SAVEPOINT ...) runs first, in the same round trip
  // (libpq pipeline mode); if one of them fails, `sql` does not run.
  Rows run(std::string_view sql, const Params& params = {}, std::span<const std::string> preamble = {});
  // Sends every statement, then reads every result: one round trip (libpq pipeline
  // mode, one sync). After the first failure the server skips the rest; throws like
  // run(), and `completed`, when given, tells how many succeeded before it. Returns
  // each statement's rows.
  std::vector<Rows> pipeline(std::span<const Statement> statements, int* completed = nullptr);
  // Runs one or more statements without parameters (simple protocol, one round
  // trip). Stops at the first that fails and throws; `completed`, when given, then
  // tells how many succeeded before it.
  void exec(std::string_view sql, int* completed = nullptr);

  bool connected() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  // Drops the connection and opens a new one; throws like the constructor.
  void reconnect();
  int backend_pid() const { return conn_ ? PQbackendPID(conn_) : 0; }
  // Round trips to the server so far (each run, pipeline, exec and prepare is one):
  // what tests count so that a change costing more of them is caught.
  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }
  PGconn* handle() const { return conn_; }
  // The client-side socket, for waiting on notifications (-1 when disconnected).
  int socket() const { return conn_ ? PQsocket(conn_) : -1; }

 private:
  void connect();
  [[noreturn]] void fail(PGresult* result, std::string_view what);
  const std::string& prepared_name(std::string_view sql, int param_count);

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::atomic<std::uint64_t> round_trips_{0};  // read by tests from other threads
};

// Quotes an SQL identifier ("queue:public" -> "\"queue:public\"").
std::string quote_identifier(std::string_view name);

}  // namespace queue::storage::postgres
