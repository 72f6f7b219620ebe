// The ledger a ledger-worker process keeps of what its handlers did, one file per
// process, and what the end-to-end tests read back, even after a kill -9.
//
//   start <id> <receive_count> <at_ms>   a handler began this delivery
//   done <id>                             the handler finished its work (the ack comes next)
//   acked <id>                            the queue confirmed the ack (hook on_succeeded)
//   lease_lost <id>                       the worker lost the lease (hook on_lease_lost)
//
// at_ms is std::chrono::steady_clock in milliseconds: CLOCK_MONOTONIC, one clock for
// every process of the machine, so a test compares it with instants of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace worker_e2e {

enum class LedgerEvent { start, done, acked, lease_lost };

struct LedgerRecord {
  LedgerEvent event = LedgerEvent::start;
  std::string id;
  int receive_count = 0;   // start only
  std::int64_t at_ms = 0;  // start only
};

// Now, as ledgers write it.
std::int64_t steady_ms();

// One line, '\n' included: the worker writes it with a single write() to a file opened
// O_APPEND, so concurrent handlers never interleave and a kill cuts only between lines.
std::string ledger_line(const LedgerRecord& record);

// Every complete line of the file, in order (a missing file is an empty ledger).
// Throws std::runtime_error naming a line that is not one of the forms above.
std::vector<LedgerRecord> read_ledger(const std::string& path);

}  // namespace worker_e2e
