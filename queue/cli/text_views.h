// The contract's values as text for `-o table`: for people, so free to change (scripts
// use -o json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "queue/cli/table.h"
#include "queue/contract/types.h"

namespace queue::cli {

// 42s, 3m12s, 2h05m, 3d04h: an age at a glance.
std::string format_age(std::int64_t seconds);
// 2026-12-02T03:15:09.123Z (UTC).
std::string format_time_ms(std::int64_t ms_since_epoch);

// FIELD / VALUE rows: name, created, every attribute, every stat.
Table queue_table(const contract::QueueInfo& queue);
// QUEUE VISIBLE IN_FLIGHT DELAYED OLDEST_AGE, one row per queue, in the given order.
Table stats_table(const std::vector<contract::QueueInfo>& queues);
Table peeked_table(const std::vector<contract::PeekedMessage>& messages);
Table received_table(const std::vector<contract::ReceivedMessage>& messages);

}  // namespace queue::cli
