// Every worker's ledger merged per message id, and the verdicts the end-to-end tests
// draw from it. Each check returns one sentence per offending message (empty: none).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/worker_e2e/ledger.h"

namespace worker_e2e {

struct Start {
  std::string worker;
  int receive_count = 0;
  std::int64_t at_ms = 0;
};

// What the ledgers say about one message.
struct History {
  std::vector<Start> starts;             // ordered by at_ms
  std::vector<std::string> done_by;      // a worker per "done"
  std::vector<std::string> acked_by;     // a worker per confirmed ack
  std::vector<std::string> lost_lease_by;
};

class Deliveries {
 public:
  void add(const std::string& worker, const std::vector<LedgerRecord>& records);

  const std::map<std::string, History>& by_id() const { return by_id_; }

  // Sent messages that no worker finished.
  std::vector<std::string> never_done(const std::vector<std::string>& sent) const;
  // Two starts under one receive_count: one lease ran its message twice. A redelivery
  // always carries a higher count, so this is what "processed twice while its lease
  // was held" looks like in a ledger.
  std::vector<std::string> started_twice_under_one_lease() const;
  // Messages started more than once for any reason but `killed` dying with them: each
  // start but the last must be `killed`'s, never acked by it, and each later start
  // must come after `killed_at_ms` under a higher receive_count.
  std::vector<std::string> repeats_not_explained_by_kill(const std::string& killed, std::int64_t killed_at_ms) const;
  // Messages not started, finished and acked exactly once, all by one worker.
  std::vector<std::string> not_exactly_once() const;
  // Lease losses anywhere.
  std::vector<std::string> lost_leases() const;

  // Messages `from` started that another worker then started again.
  std::size_t taken_over_from(const std::string& from) const;

 private:
  std::map<std::string, History> by_id_;
};

}  // namespace worker_e2e
