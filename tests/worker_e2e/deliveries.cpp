#include "tests/worker_e2e/deliveries.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace worker_e2e {
namespace {

std::string describe(const std::string& id, const History& history) {
  std::ostringstream text;
  text << "message " << id << ": starts [";
  for (const Start& start : history.starts) {
    text << " " << start.worker << "@" << start.at_ms << "ms#" << start.receive_count;
  }
  text << " ] done by " << history.done_by.size() << ", acked by " << history.acked_by.size();
  return text.str();
}

bool contains(const std::vector<std::string>& workers, const std::string& worker) {
  return std::find(workers.begin(), workers.end(), worker) != workers.end();
}

}  // namespace

void Deliveries::add(const std::string& worker, const std::vector<LedgerRecord>& records) {
  for (const LedgerRecord& record : records) {
    History& history = by_id_[record.id];
    switch (record.event) {
      case LedgerEvent::start: {
        Start start{worker, record.receive_count, record.at_ms};
        auto later = std::upper_bound(history.starts.begin(), history.starts.end(), start,
                                      [](const Start& a, const Start& b) { return a.at_ms < b.at_ms; });
        history.starts.insert(later, start);
        break;
      }
      case LedgerEvent::done: history.done_by.push_back(worker); break;
      case LedgerEvent::acked: history.acked_by.push_back(worker); break;
      case LedgerEvent::lease_lost: history.lost_lease_by.push_back(worker); break;
    }
  }
}

std::vector<std::string> Deliveries::never_done(const std::vector<std::string>& sent) const {
  std::vector<std::string> found;
  for (const std::string& id : sent) {
    auto history = by_id_.find(id);
    if (history == by_id_.end()) {
      found.push_back("message " + id + " was never started");
    } else if (history->second.done_by.empty()) {
      found.push_back(describe(id, history->second) + ": never done");
    }
  }
  return found;
}

std::vector<std::string> Deliveries::started_twice_under_one_lease() const {
  std::vector<std::string> found;
  for (const auto& [id, history] : by_id_) {
    std::set<int> counts;
    for (const Start& start : history.starts) {
      if (!counts.insert(start.receive_count).second) {
        found.push_back(describe(id, history) + ": receive_count " + std::to_string(start.receive_count) +
                        " started twice");
      }
    }
  }
  return found;
}

std::vector<std::string> Deliveries::repeats_not_explained_by_kill(const std::string& killed,
                                                                   std::int64_t killed_at_ms) const {
  std::vector<std::string> found;
  for (const auto& [id, history] : by_id_) {
    for (std::size_t i = 1; i < history.starts.size(); ++i) {
      const Start& earlier = history.starts[i - 1];
      const Start& later = history.starts[i];
      std::string why;
      if (earlier.worker != killed) {
        why = "started again after " + earlier.worker + ", which was not killed";
      } else if (contains(history.acked_by, killed)) {
        why = "started again although " + killed + " had its ack confirmed";
      } else if (later.at_ms < killed_at_ms) {
        why = "started again while " + killed + " was alive and held its lease";
      } else if (later.receive_count <= earlier.receive_count) {
        why = "started again without a new delivery (receive_count did not grow)";
      }
      if (!why.empty()) found.push_back(describe(id, history) + ": " + why);
    }
  }
  return found;
}

std::vector<std::string> Deliveries::not_exactly_once() const {
  std::vector<std::string> found;
  for (const auto& [id, history] : by_id_) {
    const bool once = history.starts.size() == 1 && history.done_by.size() == 1 && history.acked_by.size() == 1 &&
                      history.done_by[0] == history.starts[0].worker &&
                      history.acked_by[0] == history.starts[0].worker;
    if (!once) found.push_back(describe(id, history) + ": not processed exactly once");
  }
  return found;
}

std::vector<std::string> Deliveries::lost_leases() const {
  std::vector<std::string> found;
  for (const auto& [id, history] : by_id_) {
    for (const std::string& worker : history.lost_lease_by) found.push_back(describe(id, history) + ": " + worker + " lost its lease");
  }
  return found;
}

std::size_t Deliveries::taken_over_from(const std::string& from) const {
  std::size_t taken = 0;
  for (const auto& [id, history] : by_id_) {
    bool started_by_from = false;
    for (const Start& start : history.starts) {
      if (start.worker == from) {
        started_by_from = true;
      } else if (started_by_from) {
        ++taken;
        break;
      }
    }
  }
  return taken;
}

}  // namespace worker_e2e
