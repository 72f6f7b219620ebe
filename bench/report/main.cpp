// queue-bench-report: turns results.csv into results.md and the chart's data.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "bench/report/clients.h"
#include "bench/report/postgres.h"
#include "bench/report/render.h"
#include "bench/report/storage.h"
#include "bench/report/watching.h"

namespace {

using bench::report::ResultsTable;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"queue-bench-report: results.csv to a markdown report and gnuplot data"};
  std::string csv_path;
  std::string markdown_path;
  std::string throughput_path;
  std::string scaling_path;
  std::string postgres_path;
  std::string clients_path;
  std::string storage_path;
  std::string watching_path;
  app.add_option("--csv", csv_path, "results.csv written by queue-bench")->required()->check(CLI::ExistingFile);
  app.add_option("--markdown", markdown_path, "Write the report here (default: stdout)");
  app.add_option("--postgres-markdown", postgres_path,
                 "Write the PostgreSQL systems' section here instead of into --markdown (empty without them)");
  app.add_option("--clients-markdown", clients_path,
                 "Write the C++ clients' section (in process, worker SDK) here instead of into --markdown");
  app.add_option("--watching-markdown", watching_path,
                 "Write the stats-polling section (issue 12: a producer alone and watched) here instead of into "
                 "--markdown");
  app.add_option("--storage-csv", storage_path,
                 "storage.csv written by scripts/bench (restart and disk with a deep backlog): a section of its own")
      ->check(CLI::ExistingFile);
  app.add_option("--throughput-data", throughput_path, "Write the main workloads' chart data here");
  app.add_option("--scaling-data", scaling_path, "Write the connection scaling chart data here");
  CLI11_PARSE(app, argc, argv);

  try {
    std::ifstream csv(csv_path);
    const bench::report::ResultsTable table(bench::report::read_rows(csv));
    // Each comparison with a section of its own takes its systems' rows out of issue 4's tables.
    const auto [not_postgres, postgres] = bench::report::split_postgres(table);
    const ResultsTable others =
        bench::report::split_watching(bench::report::split_in_process(not_postgres).first).first;
    std::string markdown =
        others.rows().empty() ? std::string() : bench::report::render_markdown(others, bench::report::check_targets(others));
    const std::pair<std::string, std::string> sections[] = {
        {postgres_path,
         bench::report::render_postgres_markdown(postgres, bench::report::check_postgres_targets(postgres))},
        {clients_path, bench::report::render_clients_markdown(table, bench::report::check_client_targets(table))},
        {watching_path,
         bench::report::render_watching_markdown(table, bench::report::check_watching_targets(table))},
    };
    for (const auto& [path, section] : sections) {
      if (!path.empty()) {
        write_file(path, section);
      } else if (!section.empty()) {
        if (!markdown.empty()) markdown += "\n";
        markdown += section;
      }
    }
    if (!storage_path.empty()) {
      std::ifstream storage_csv(storage_path);
      const auto rows = bench::report::read_storage_rows(storage_csv);
      const std::string section =
          bench::report::render_storage_markdown(rows, bench::report::check_storage_targets(rows));
      if (!section.empty()) markdown += (markdown.empty() ? "" : "\n") + section;
    }
    if (markdown_path.empty()) {
      std::cout << markdown;
    } else {
      write_file(markdown_path, markdown);
    }
    if (!throughput_path.empty()) write_file(throughput_path, bench::report::render_throughput_data(table));
    if (!scaling_path.empty()) write_file(scaling_path, bench::report::render_scaling_data(table));
  } catch (const std::exception& error) {
    std::cerr << "queue-bench-report: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
