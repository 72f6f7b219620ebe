#include "bench/drivers/postgres_baseline_client.h"

#include <libpq-fe.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace bench {
namespace {

// Statement names, prepared per connection.
constexpr const char* kInsertOne = "baseline_insert_one";
constexpr const char* kInsertMany = "baseline_insert_many";
constexpr const char* kLease = "baseline_lease";
constexpr const char* kDelete = "baseline_delete";

// What hand-rolled consumers do when the queue is empty: sleep a little and ask again.
// Queue wakes a waiting receive with LISTEN/NOTIFY instead.
constexpr std::chrono::milliseconds kPollInterval{10};

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

std::string error_of(PGconn* conn, std::string_view what) {
  return "postgres " + std::string(what) + ": " + trimmed(conn ? PQerrorMessage(conn) : "out of memory");
}

// Throws unless the result is a success of either kind.
Result checked(PGconn* conn, PGresult* raw, std::string_view what) {
  Result result(raw, &PQclear);
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  // Without a result (connection lost, out of memory) the reason is on the connection.
  const std::string message = result ? trimmed(PQresultErrorMessage(result.get())) : "";
  if (message.empty()) throw std::runtime_error(error_of(conn, what));
  throw std::runtime_error("postgres " + std::string(what) + ": " + message);
}

Result run_prepared(PGconn* conn, const char* statement, const std::string& param, std::string_view what) {
  const char* values[] = {param.c_str()};
  return checked(conn, PQexecPrepared(conn, statement, 1, values, nullptr, nullptr, 0), what);
}

bool valid_queue_name(std::string_view name) {
  constexpr std::size_t kMaxName = 40;
  return !name.empty() && name.size() <= kMaxName && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string quoted(std::string_view identifier) { return "\"" + std::string(identifier) + "\""; }

}  // namespace

std::string baseline_table_name(std::string_view queue) {
  if (!valid_queue_name(queue)) {
    throw std::invalid_argument("postgres baseline: queue name '" + std::string(queue) +
                                "' must be 1 to 40 letters, digits, '-' or '_'");
  }
  // The validated characters need no escaping inside double quotes.
  return quoted("queue_bench_" + std::string(queue));
}

std::string text_array_literal(std::span<const std::string> values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

void PostgresBaselineClient::Finish::operator()(pg_conn* conn) const { PQfinish(conn); }

PostgresBaselineClient::PostgresBaselineClient(const Target& target)
    : table_(baseline_table_name(target.queue)) {
  // An empty conninfo would quietly mean "the local default server".
  if (target.database_url.empty()) throw std::invalid_argument("postgres baseline: no --database-url");
  conn_.reset(PQconnectdb(target.database_url.c_str()));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) throw std::runtime_error(error_of(conn_.get(), "connect"));
  // "relation already exists, skipping" and the like, once per connection: noise on stderr.
  PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
}

void PostgresBaselineClient::ping() { checked(conn_.get(), PQexec(conn_.get(), "SELECT 1"), "ping"); }

void PostgresBaselineClient::create_queue() {
  // The primary key is the index that fits the receive query: the planner walks it in id
  // order, filters on leased_until and stops at LIMIT (EXPLAIN shows it). An index on
  // leased_until would not be used, and would make every lease a non-HOT update.
  const std::string sql = "CREATE TABLE IF NOT EXISTS " + table_ +
                          " (id bigserial PRIMARY KEY, body text NOT NULL,"
                          " leased_until timestamptz NOT NULL DEFAULT '-infinity',"
                          " created_at timestamptz NOT NULL DEFAULT now())";
  checked(conn_.get(), PQexec(conn_.get(), sql.c_str()), "create table");
}

void PostgresBaselineClient::prepare_once() {
  if (prepared_) return;
  const std::pair<const char*, std::string> statements[] = {
      {kInsertOne, "INSERT INTO " + table_ + " (body) VALUES ($1)"},
      {kInsertMany, "INSERT INTO " + table_ + " (body) SELECT unnest($1::text[])"},
      {kLease, "UPDATE " + table_ + " SET leased_until = now() + interval '30 seconds' WHERE id IN (SELECT id FROM " +
                   table_ + " WHERE leased_until < now() ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1::int)"
                   " RETURNING id, body"},
      {kDelete, "DELETE FROM " + table_ + " WHERE id = ANY($1::bigint[])"},
  };
  for (const auto& [name, sql] : statements) {
    checked(conn_.get(), PQprepare(conn_.get(), name, sql.c_str(), 0, nullptr), "prepare");
  }
  prepared_ = true;
}

void PostgresBaselineClient::send(std::span<const std::string> bodies) {
  if (bodies.empty()) return;
  prepare_once();
  if (bodies.size() == 1) {
    run_prepared(conn_.get(), kInsertOne, bodies.front(), "insert");
  } else {
    run_prepared(conn_.get(), kInsertMany, text_array_literal(bodies), "insert");
  }
}

std::vector<Delivery> PostgresBaselineClient::receive(std::size_t max, std::chrono::seconds wait) {
  prepare_once();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const std::string limit = std::to_string(max);
  for (;;) {
    const Result rows = run_prepared(conn_.get(), kLease, limit, "lease");
    std::vector<Delivery> deliveries;
    deliveries.reserve(static_cast<std::size_t>(PQntuples(rows.get())));
    for (int row = 0; row < PQntuples(rows.get()); ++row) {
      deliveries.push_back({PQgetvalue(rows.get(), row, 1), PQgetvalue(rows.get(), row, 0)});
    }
    if (!deliveries.empty() || std::chrono::steady_clock::now() >= deadline) return deliveries;
    std::this_thread::sleep_for(kPollInterval);
  }
}

void PostgresBaselineClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  prepare_once();
  std::string ids = "{";
  for (const Delivery& delivery : deliveries) {
    if (ids.size() > 1) ids += ',';
    ids += delivery.handle;  // our own row ids: digits only
  }
  ids += '}';
  const Result result = run_prepared(conn_.get(), kDelete, ids, "delete");
  if (std::string_view(PQcmdTuples(result.get())) != std::to_string(deliveries.size())) {
    throw std::runtime_error("postgres delete: not every leased row was deleted");
  }
}

}  // namespace bench
