// Bloat: a queue that churns through many messages keeps its tables' size bounded
// (leases update the narrow state table, acks delete, autovacuum reclaims).
//
// QUEUE_CHURN_MESSAGES sets how many messages flow through (default 100,000, about
// half a minute here; 1,000,000 for the full run). The sizes are printed.
#include <cstdio>
#include <cstdlib>

#include "postgres_fixture.h"
#include "service_harness.h"

namespace queue::testing {
namespace {

using Churn = PostgresTest;

std::int64_t messages_to_churn() {
  const char* configured = std::getenv("QUEUE_CHURN_MESSAGES");
  return configured && *configured ? std::atoll(configured) : 100'000;
}

// Heap, TOAST and indexes of every table of Queue's in the schema, in bytes.
std::int64_t total_size(storage::postgres::Session& admin, const std::string& schema) {
  storage::postgres::Params params;
  params.add(std::string_view(schema));
  return admin
      .run("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname LIKE 'queue\\_%'",
           params)
      .int64(0, 0);
}

void print_breakdown(storage::postgres::Session& admin, const std::string& schema) {
  storage::postgres::Params params;
  params.add(std::string_view(schema));
  auto rows = admin.run(
      "SELECT c.relname, pg_relation_size(c.oid), n_dead_tup, autovacuum_count FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
      "WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') AND c.relname LIKE 'queue\\_%' ORDER BY 2 DESC",
      params);
  for (int r = 0; r < rows.size(); ++r) {
    std::printf("churn:   %-34s %7.2f MiB%s\n", rows.text(r, 0).c_str(),
                static_cast<double>(rows.int64(r, 1)) / (1 << 20),
                rows.is_null(r, 2) ? ""
                                   : (" (dead tuples " + rows.text(r, 2) + ", autovacuums " + rows.text(r, 3) + ")").c_str());
  }
}

TEST_F(Churn, TableSizeStaysBoundedWhileMessagesFlowThrough) {
  constexpr int batch = 100;
  constexpr int backlog = 1'000;  // the queue is never empty: receives scan past real rows
  const std::int64_t total = messages_to_churn();
  const std::int64_t checkpoint_every = std::max<std::int64_t>(total / 10, batch);

  ServiceHarness h;
  std::string schema = h.database_url().substr(h.database_url().rfind("search_path%3D") + 14);
  auto admin = admin_session(*postgres_server_url());
  AttributesPatch patch;
  patch.visibility_timeout_s = 60;
  h.create("churn", patch);
  std::vector<OutgoingMessage> payload;
  for (int i = 0; i < batch; ++i) payload.push_back(message(std::string(256, 'a' + i % 26)));
  for (int i = 0; i < backlog; i += batch) ASSERT_TRUE(h.send("churn", payload).ok());

  std::vector<std::int64_t> sizes;
  std::printf("churn: %lld messages through a queue of %d, 256-byte bodies\n", static_cast<long long>(total), backlog);
  for (std::int64_t done = 0; done < total; done += batch) {
    ASSERT_TRUE(h.send("churn", payload).ok());
    auto got = h.receive_ok("churn", batch);
    ASSERT_EQ(got.size(), static_cast<std::size_t>(batch));
    std::vector<std::string> receipts;
    for (const auto& m : got) receipts.push_back(m.receipt);
    ASSERT_EQ(h.ack("churn", receipts).value().acked, batch);
    if ((done + batch) % checkpoint_every == 0) {
      sizes.push_back(total_size(*admin, schema));
      std::printf("churn: after %8lld messages: tables and indexes %7.2f MiB\n",
                  static_cast<long long>(done + batch), static_cast<double>(sizes.back()) / (1 << 20));
      std::fflush(stdout);
    }
  }
  print_breakdown(*admin, schema);
  ASSERT_GE(sizes.size(), 4u);
  EXPECT_EQ(h.stats("churn").visible, backlog);
  // Unbounded growth would make the last size about ten times the first; bounded
  // growth levels off once autovacuum reclaims as fast as the queue churns.
  std::int64_t first_half_peak = *std::max_element(sizes.begin(), sizes.begin() + sizes.size() / 2);
  std::int64_t last = sizes.back();
  std::printf("churn: peak in the first half %.2f MiB, at the end %.2f MiB\n",
              static_cast<double>(first_half_peak) / (1 << 20), static_cast<double>(last) / (1 << 20));
  EXPECT_LT(last, 2 * first_half_peak) << "the tables keep growing with the number of messages";
}

}  // namespace
}  // namespace queue::testing
