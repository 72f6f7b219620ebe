// Issue 12 part 1: what watching Queue costs a producer. queue-bench's stats-poll
// workload runs W1's producer (4 connections, one message per call) on a queue holding
// the run's deepest backlog three times, back to back: alone, while one more client polls
// the queue's stats in a loop, and while it scrapes /metrics in a loop. Its rows:
//   stats-poll-alone, stats-poll-polled, stats-poll-scraped   the producer
//   stats-poll-stats, stats-poll-metrics                      the poller, one "message" per call
// each with `backlog` = messages visible when the step began.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/report/results_table.h"
#include "bench/report/targets.h"

namespace bench::report {

inline constexpr std::string_view kStatsPoll = "stats-poll";

bool is_watching_row(const Row& row);

// {every other row, the stats-poll rows}, each in its original order.
std::pair<ResultsTable, ResultsTable> split_watching(const ResultsTable& table);

// Per system and mode with stats-poll rows: the producer polled, and scraped, at least
// kWatchedOverAlone of itself alone. Missing rows give a check without a value.
std::vector<TargetCheck> check_watching_targets(const ResultsTable& table);

// A table of the stats-poll rows and their targets; empty without such rows.
std::string render_watching_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks);

}  // namespace bench::report
