#include "bench/result.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace bench {
namespace {

std::string microseconds(std::uint64_t nanoseconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", double(nanoseconds) / 1000.0);
  return text;
}

std::string optional_number(const std::optional<std::uint64_t>& value) {
  return value ? std::to_string(*value) : std::string();
}

}  // namespace

std::optional<double> Result::server_cpu_us_per_message() const {
  if (!server_cpu_seconds || messages == 0) return std::nullopt;
  return *server_cpu_seconds * 1e6 / double(messages);
}

bool Result::failed() const {
  if (errors > 0) return true;
  if (!ledger) return false;
  return ledger->corrupt > 0 || ledger->losses.value_or(0) > 0;
}

std::string csv_header() {
  return "system,mode,workload,connections,batch,messages,seconds,msgs_per_s,latency,p50_us,p99_us,p999_us,max_us,"
         "duplicates,losses,corrupt,errors,backlog,rss_mib,server_cpu_us_per_msg,cut_short";
}

std::string csv_row(const Result& r) {
  char numbers[64];
  std::snprintf(numbers, sizeof numbers, "%.3f,%.0f", r.seconds, r.messages_per_second());
  std::string row = r.system + "," + r.mode + "," + r.workload + "," + std::to_string(r.connections) + "," +
                    std::to_string(r.batch) + "," + std::to_string(r.messages) + "," + numbers + ",";
  row += r.latency_kind == LatencyKind::call ? "call" : "send_to_receive";
  row += "," + microseconds(r.latency.percentile(0.50)) + "," + microseconds(r.latency.percentile(0.99)) + "," +
         microseconds(r.latency.percentile(0.999)) + "," + microseconds(r.latency.max());
  if (r.ledger) {
    row += "," + std::to_string(r.ledger->duplicates) + "," + optional_number(r.ledger->losses) + "," +
           std::to_string(r.ledger->corrupt);
  } else {
    row += ",,,";
  }
  row += "," + std::to_string(r.errors) + "," + optional_number(r.backlog) + ",";
  if (r.rss_kib) {
    char mib[32];
    std::snprintf(mib, sizeof mib, "%.1f", double(*r.rss_kib) / 1024.0);
    row += mib;
  }
  row += ",";
  if (auto cpu = r.server_cpu_us_per_message()) {
    char us[32];
    std::snprintf(us, sizeof us, "%.1f", *cpu);
    row += us;
  }
  row += r.cut_short ? ",1" : ",0";
  return row;
}

std::string summary_line(const Result& r) {
  char line[512];
  std::snprintf(line, sizeof line, "%-10s %-9s %-14s c=%-3llu b=%-3llu %9.0f msg/s  %s p50 %s p99 %s p99.9 %s us",
                r.system.c_str(), r.mode.c_str(), r.workload.c_str(), (unsigned long long)r.connections,
                (unsigned long long)r.batch, r.messages_per_second(),
                r.latency_kind == LatencyKind::call ? "call" : "e2e", microseconds(r.latency.percentile(0.50)).c_str(),
                microseconds(r.latency.percentile(0.99)).c_str(), microseconds(r.latency.percentile(0.999)).c_str());
  std::string text = line;
  if (r.backlog) text += "  backlog " + std::to_string(*r.backlog);
  if (r.rss_kib) text += "  rss " + std::to_string(*r.rss_kib / 1024) + " MiB";
  if (auto cpu = r.server_cpu_us_per_message()) text += "  server cpu " + std::to_string(std::lround(*cpu)) + " us/msg";
  if (r.ledger) {
    text += "  dup " + std::to_string(r.ledger->duplicates) + " loss " +
            (r.ledger->losses ? std::to_string(*r.ledger->losses) : std::string("-")) + " corrupt " +
            std::to_string(r.ledger->corrupt);
  }
  if (r.cut_short) text += "  (cut short by --max-seconds)";
  if (r.errors > 0) text += "  ERRORS " + std::to_string(r.errors);
  return text;
}

void append_csv(const std::string& path, const std::vector<Result>& results) {
  std::ifstream existing(path);
  const bool needs_header = !existing || existing.peek() == std::ifstream::traits_type::eof();
  existing.close();
  std::ofstream out(path, std::ios::app);
  if (!out) throw std::runtime_error("cannot write " + path);
  if (needs_header) out << csv_header() << "\n";
  for (const Result& result : results) out << csv_row(result) << "\n";
}

bool publish(std::vector<Result>& results, const Naming& naming, const std::string& csv_path) {
  bool failed = false;
  for (Result& result : results) {
    result.system = naming.system;
    result.mode = naming.mode;
    result.workload = naming.workload + result.workload;
    std::cout << summary_line(result) << std::endl;
    failed = failed || result.failed();
  }
  if (!csv_path.empty()) append_csv(csv_path, results);
  return failed;
}

}  // namespace bench
