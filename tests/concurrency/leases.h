// Leases as a client observes them, and the checks run over them.
//
// A client cannot see when the server granted or ended a lease, only when the
// receive's answer arrived (the lease had begun by then) and when it sent the ack or
// release (the lease had not ended before). That observed interval lies inside the
// real lease, so if two observed intervals of one message overlap, the real leases
// did: an overlap found here is a real double delivery, never an artefact of timing.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace robustness {

using SteadyTime = std::chrono::steady_clock::time_point;

struct Lease {
  std::string message_id;
  std::string body;
  std::optional<std::string> group_id;
  int consumer = 0;
  int receive_count = 0;
  SteadyTime start;    // the receive's answer arrived
  SteadyTime end;      // the ack or release was sent
  bool acked = false;  // false: released with visibility 0
};

// Describes every pair of leases with the same key whose intervals overlap ("" key: ignored).
std::vector<std::string> find_overlaps(std::vector<Lease> leases, const std::function<std::string(const Lease&)>& key);

// The most leases held at one moment, whatever their key: shows the consumers really ran side by side.
std::size_t max_concurrent(const std::vector<Lease>& leases);

}  // namespace robustness
