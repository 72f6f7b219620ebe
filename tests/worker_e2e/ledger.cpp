#include "tests/worker_e2e/ledger.h"

#include <array>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace worker_e2e {
namespace {

constexpr std::array<std::pair<LedgerEvent, std::string_view>, 4> event_names{{
    {LedgerEvent::start, "start"},
    {LedgerEvent::done, "done"},
    {LedgerEvent::acked, "acked"},
    {LedgerEvent::lease_lost, "lease_lost"},
}};

std::string_view name_of(LedgerEvent event) {
  for (const auto& [known, name] : event_names) {
    if (known == event) return name;
  }
  throw std::logic_error("unnamed ledger event");
}

LedgerRecord parse(const std::string& line, const std::string& path) {
  std::istringstream in(line);
  std::string name;
  LedgerRecord record;
  in >> name >> record.id;
  bool known = false;
  for (const auto& [event, event_name] : event_names) {
    if (name == event_name) {
      record.event = event;
      known = true;
    }
  }
  if (known && record.event == LedgerEvent::start) in >> record.receive_count >> record.at_ms;
  std::string rest;
  if (!known || record.id.empty() || in.fail() || (in >> rest)) {
    throw std::runtime_error(path + ": not a ledger line: \"" + line + "\"");
  }
  return record;
}

}  // namespace

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string ledger_line(const LedgerRecord& record) {
  std::string line = std::string(name_of(record.event)) + " " + record.id;
  if (record.event == LedgerEvent::start) {
    line += " " + std::to_string(record.receive_count) + " " + std::to_string(record.at_ms);
  }
  return line + "\n";
}

std::vector<LedgerRecord> read_ledger(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  std::vector<LedgerRecord> records;
  // Only lines ending in '\n': the file is read while the worker may be writing it.
  for (std::size_t begin = 0, end; (end = all.find('\n', begin)) != std::string::npos; begin = end + 1) {
    records.push_back(parse(all.substr(begin, end - begin), path));
  }
  return records;
}

}  // namespace worker_e2e
