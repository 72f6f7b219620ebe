// Issue 5's comparison: Queue on PostgreSQL (one process, and two processes on the
// same database) against the hand-rolled SKIP LOCKED table driven through libpq, on
// the same server in the same run. Its rows live in the same results.csv as issue
// 4's, under their own system names, and get a table and targets of their own.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "bench/report/results_table.h"
#include "bench/report/targets.h"

namespace bench::report {

inline constexpr std::string_view kPostgresBaseline = "pg-baseline";
inline constexpr std::string_view kQueueOnPostgres = "queue-pg";
inline constexpr std::string_view kTwoQueuesOnPostgres = "queue-pg2";

bool is_postgres_system(std::string_view system);

// {issue 4's rows, issue 5's rows}, each in its original order.
std::pair<ResultsTable, ResultsTable> split_postgres(const ResultsTable& table);

// Issue 11: Queue over HTTP at least 1x the baseline on W1 and W2 at 4 connections
// and 2x at 64; two Queue processes at least 1.3x one at 64; p99 per call under
// 10 ms at 64. Missing data gives checks without a value.
std::vector<TargetCheck> check_postgres_targets(const ResultsTable& table);

}  // namespace bench::report
