// The report `stats` prints and `top` redraws: one row per queue, in the given
// order, and the totals.
#pragma once

#include <vector>

#include "queue/cli/report.h"
#include "queue/contract/types.h"

namespace queue::cli {

// JSON: {"queues":[{"name","visible","in_flight","delayed","oldest_age_s"}...],
//        "totals":{"queues","visible","in_flight","delayed","oldest_age_s"}}
// The rows are `shown`, the totals (oldest_age_s: the largest) add up `counted`, which
// may hold more (top shows the busiest). Text: the table, then a TOTAL line.
Report stats_report(const std::vector<contract::QueueInfo>& shown, const std::vector<contract::QueueInfo>& counted);

}  // namespace queue::cli
