#include "tests/concurrency/leases.h"

#include <algorithm>
#include <map>
#include <utility>

namespace robustness {
namespace {

std::string describe(const Lease& lease, SteadyTime origin) {
  auto ms = [&](SteadyTime t) { return std::to_string(std::chrono::duration<double, std::milli>(t - origin).count()); };
  return "message " + lease.message_id + " (" + lease.body + ") held by consumer " + std::to_string(lease.consumer) +
         " from " + ms(lease.start) + " to " + ms(lease.end) + " ms, receive_count " +
         std::to_string(lease.receive_count) + (lease.acked ? ", acked" : ", released");
}

}  // namespace

std::vector<std::string> find_overlaps(std::vector<Lease> leases, const std::function<std::string(const Lease&)>& key) {
  std::map<std::string, std::vector<const Lease*>> by_key;
  for (const Lease& lease : leases) {
    if (std::string k = key(lease); !k.empty()) by_key[k].push_back(&lease);
  }
  SteadyTime origin =
      leases.empty()
          ? SteadyTime{}
          : std::min_element(leases.begin(), leases.end(), [](auto& a, auto& b) { return a.start < b.start; })->start;
  std::vector<std::string> overlaps;
  for (auto& [k, group] : by_key) {
    std::sort(group.begin(), group.end(), [](const Lease* a, const Lease* b) { return a->start < b->start; });
    // Sorted by start, a lease overlaps an earlier one exactly when it starts before the latest end so far.
    const Lease* latest = nullptr;
    for (const Lease* lease : group) {
      if (latest && lease->start < latest->end) {
        overlaps.push_back(k + ": " + describe(*latest, origin) + " overlaps " + describe(*lease, origin));
      }
      if (!latest || lease->end > latest->end) latest = lease;
    }
  }
  return overlaps;
}

std::size_t max_concurrent(const std::vector<Lease>& leases) {
  // +1 at each start, -1 at each end; ends sort before starts at the same instant.
  std::vector<std::pair<SteadyTime, int>> events;
  for (const Lease& lease : leases) {
    events.emplace_back(lease.start, +1);
    events.emplace_back(lease.end, -1);
  }
  std::sort(events.begin(), events.end());
  std::size_t held = 0;
  std::size_t most = 0;
  for (const auto& [time, change] : events) {
    held = change > 0 ? held + 1 : held - 1;
    most = std::max(most, held);
  }
  return most;
}

}  // namespace robustness
