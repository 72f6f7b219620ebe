#include "queue/storage/postgres/session.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "queue/core/store.h"

namespace queue::storage::postgres {
namespace {

// SQLSTATE classes and codes that describe a passing condition: the request may
// succeed if tried again (after a reconnect, or once the server is back).
bool is_transient(std::string_view sqlstate) {
  static constexpr std::string_view transient_classes[] = {
      "08",  // connection exception
      "53",  // insufficient resources (disk full, out of memory, too many connections)
      "57",  // operator intervention (shutdown, cancel, cannot connect now)
      "58",  // system error (I/O)
  };
  for (auto prefix : transient_classes) {
    if (sqlstate.starts_with(prefix)) return true;
  }
  return sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" || sqlstate == "25006";
}

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Params& Params::add(std::int64_t value) { return add(std::string_view(std::to_string(value))); }
Params& Params::add(bool value) { return add(std::string_view(value ? "t" : "f")); }

Params& Params::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

Params& Params::add(const std::optional<std::string>& text) { return text ? add(std::string_view(*text)) : add_null(); }

Params& Params::add(const std::optional<std::int64_t>& value) { return value ? add(*value) : add_null(); }

Params& Params::add_null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> Params::values() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  return pointers;
}

std::int64_t Rows::int64(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

std::optional<std::int64_t> Rows::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

bool Rows::boolean(int row, int column) const { return PQgetvalue(result_.get(), row, column)[0] == 't'; }

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::string Rows::bytes(int row, int column) const {
  // Text-format bytea is "\x" followed by two hex digits per byte.
  std::string_view hex(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
  if (!hex.starts_with("\\x") || hex.size() % 2 != 0) {
    throw core::StoreError(core::ErrorCode::internal, "postgres: unexpected bytea encoding");
  }
  std::string out;
  out.reserve(hex.size() / 2 - 1);
  for (std::size_t i = 2; i < hex.size(); i += 2) {
    int high = hex_value(hex[i]);
    int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) throw core::StoreError(core::ErrorCode::internal, "postgres: bad bytea digit");
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

std::int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_.get());
  return count && *count ? std::strtoll(count, nullptr, 10) : 0;
}

Session::Session(std::string url) : url_(std::move(url)) { connect(); }

Session::~Session() {
  if (conn_) PQfinish(conn_);
}

void Session::connect() {
  // Defaults first: anything the URL says wins (later keywords override earlier ones).
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "queue", url_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string reason = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw core::StoreError(core::ErrorCode::unavailable, "postgres: cannot connect: " + reason);
  }
  // NOTICEs ("relation already exists, skipping") would go to stderr: nothing acts on them.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

void Session::reconnect() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  connect();
}

void Session::fail(PGresult* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    sqlstate = state ? state : "";
    message = trimmed(PQresultErrorMessage(result));
    PQclear(result);
  }
  if (message.empty()) message = conn_ ? trimmed(PQerrorMessage(conn_)) : "not connected";
  bool transient = !connected() || sqlstate.empty() || is_transient(sqlstate);
  throw core::StoreError(transient ? core::ErrorCode::unavailable : core::ErrorCode::internal,
                         "postgres: " + std::string(what) + ": " + (sqlstate.empty() ? "" : sqlstate + " ") + message);
}

const std::string& Session::prepared_name(std::string_view sql, int param_count) {
  auto found = prepared_.find(std::string(sql));
  if (found != prepared_.end()) return found->second;
  if (!connected()) fail(nullptr, "prepare");
  std::string name = "q" + std::to_string(prepared_.size() + 1);
  ++round_trips_;
  PGresult* result = PQprepare(conn_, name.c_str(), std::string(sql).c_str(), param_count, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(result, "prepare");
  PQclear(result);
  return prepared_.emplace(std::string(sql), std::move(name)).first->second;
}

Rows Session::run(std::string_view sql, const Params& params, std::span<const std::string> preamble) {
  if (!preamble.empty()) {
    std::vector<Statement> statements;
    statements.reserve(preamble.size() + 1);
    for (const std::string& statement : preamble) statements.push_back(Statement::simple(statement));
    statements.push_back(Statement::with_params(std::string(sql), params));
    return std::move(pipeline(statements).back());
  }
  const std::string& name = prepared_name(sql, params.size());
  auto values = params.values();
  ++round_trips_;
  PGresult* result = PQexecPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr,
                                    /*resultFormat=*/0);
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(result, "query");
  return Rows(result);
}

std::vector<Rows> Session::pipeline(std::span<const Statement> statements, int* completed) {
  if (completed) *completed = 0;
  // Preparing takes a round trip of its own, which pipeline mode does not allow: first.
  std::vector<const std::string*> names;
  names.reserve(statements.size());
  for (const Statement& statement : statements) {
    names.push_back(statement.prepared ? &prepared_name(statement.sql, statement.params.size()) : nullptr);
  }
  if (!connected() || PQenterPipelineMode(conn_) == 0) fail(nullptr, "pipeline");
  ++round_trips_;
  bool sent = true;
  for (std::size_t i = 0; i < statements.size() && sent; ++i) {
    const Statement& statement = statements[i];
    if (names[i]) {
      auto values = statement.params.values();
      sent = PQsendQueryPrepared(conn_, names[i]->c_str(), statement.params.size(), values.data(), nullptr, nullptr,
                                 0) == 1;
    } else {
      sent = PQsendQueryParams(conn_, statement.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    }
  }
  sent = sent && PQpipelineSync(conn_) == 1;
  // Each statement's result is followed by a NULL; the sync ends the pipeline. After
  // a failure the server skips the rest (PGRES_PIPELINE_ABORTED) until the sync.
  PGresult* error = nullptr;
  std::vector<Rows> results;
  results.reserve(statements.size());
  while (sent) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {
      if (!connected()) break;
      continue;
    }
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    if (!error && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)) {
      results.emplace_back(result);
      if (completed) ++*completed;
    } else if (!error && status != PGRES_PIPELINE_ABORTED) {
      error = result;
    } else {
      PQclear(result);
    }
  }
  PQexitPipelineMode(conn_);
  if (error || results.size() != statements.size()) fail(error, "query");
  return results;
}

void Session::exec(std::string_view sql, int* completed) {
  if (completed) *completed = 0;
  if (!connected()) fail(nullptr, "exec");
  ++round_trips_;
  if (PQsendQuery(conn_, std::string(sql).c_str()) == 0) fail(nullptr, "exec");
  // One result per statement; the first error ends the string, but every result
  // must be read before the connection takes another command.
  PGresult* error = nullptr;
  while (PGresult* result = PQgetResult(conn_)) {
    ExecStatusType status = PQresultStatus(result);
    if (!error && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      error = result;
      continue;
    }
    if (!error && completed) ++*completed;
    PQclear(result);
  }
  if (error) fail(error, "exec");
}

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace queue::storage::postgres
