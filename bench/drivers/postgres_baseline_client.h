// The hand-rolled PostgreSQL queue that issue 5 measures Queue against: the
// pattern most applications write themselves, driven directly through libpq.
//
//   table    id bigserial primary key, body text, leased_until timestamptz,
//            created_at; the primary key serves the receive query
//   send     INSERT (a batch: one INSERT ... SELECT unnest($1::text[]))
//   receive  UPDATE ... SET leased_until = now() + 30 s WHERE id IN
//            (SELECT id ... WHERE leased_until < now() ORDER BY id
//             FOR UPDATE SKIP LOCKED LIMIT $1) RETURNING id, body
//   ack      DELETE ... WHERE id = ANY($1)
//
// Every statement is prepared once per connection and runs in autocommit (its
// own transaction, synchronous_commit as the server has it: on by default), one
// round trip per call, as such code usually does. The handle is the row id.
#pragma once

#include <memory>

#include "bench/drivers/client.h"

struct pg_conn;  // libpq's PGconn: libpq stays out of this header

namespace bench {

class PostgresBaselineClient final : public Client {
 public:
  explicit PostgresBaselineClient(const Target& target);

  void ping() override;
  void create_queue() override;
  void send(std::span<const std::string> bodies) override;
  std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) override;
  void ack(std::span<const Delivery> deliveries) override;

 private:
  // Prepares the statements on first use: the table may not exist before create_queue.
  void prepare_once();

  struct Finish {
    void operator()(pg_conn* conn) const;
  };
  std::unique_ptr<pg_conn, Finish> conn_;
  std::string table_;  // quoted identifier
  bool prepared_ = false;
};

// The table behind queue `name`: "queue_bench_<name>", quoted for SQL. Names are
// limited to letters, digits, '-' and '_' and 40 bytes, so that the identifier needs
// no escaping and stays within PostgreSQL's 63 bytes.
std::string baseline_table_name(std::string_view queue);

// A PostgreSQL array literal of `values` ({"a","b\"c"}), for a text[] parameter.
std::string text_array_literal(std::span<const std::string> values);

}  // namespace bench
