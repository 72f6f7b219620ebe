// What the report tool writes: the markdown of results.md and the data files
// that bench/chart.gp plots.
#pragma once

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/report/results_table.h"
#include "bench/report/targets.h"

namespace bench::report {

// Tables (main workloads, scaling by connections, backlog), target checks, integrity.
std::string render_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks);

// Issue 5's section: the PostgreSQL systems' table, their scaling and the ratios
// (rows of the PostgreSQL systems only, see split_postgres). Empty without rows.
std::string render_postgres_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks);

// Issue 9 part 5's section: the in-process client beside Queue over HTTP and Redis, the
// worker SDK beside the hand-written consumer, and their targets (check_client_targets).
// `table` holds every row of the run, since the comparison needs the other systems' too.
// Empty without in-process or worker SDK rows.
std::string render_clients_markdown(const ResultsTable& table, const std::vector<TargetCheck>& checks);

// gnuplot data with a header row: one row per main workload, one column per system/mode.
std::string render_throughput_data(const ResultsTable& table);
// One row per connection count, one column per system/mode: produce msg/s.
std::string render_scaling_data(const ResultsTable& table);

// Shared by the sections: a number printed with a printf pattern, and a list of
// target checks (PASS, MISS or n/a each) under the issue that set them.
std::string number(double value, const char* pattern = "%.0f");
void render_targets(std::ostringstream& out, const std::vector<TargetCheck>& checks, std::string_view issue);

// Rows whose run saw duplicates, losses, corruption or errors.
std::vector<const Row*> troubled_rows(const ResultsTable& table);

}  // namespace bench::report
