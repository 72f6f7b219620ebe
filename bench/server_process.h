// What /proc says about the server under test: its resident memory and the CPU
// time it used. CPU per message is the one number that stays comparable on a
// machine that other work shares: wall-clock rates move with the load, the
// server's own CPU time much less.
#pragma once

#include <cstdint>
#include <optional>

namespace bench {

// VmRSS of a process in KiB, from /proc/<pid>/status; nullopt when unreadable.
std::optional<std::uint64_t> resident_kib(int pid);

// User plus system CPU time of a process and all its threads, in seconds, from
// /proc/<pid>/stat (clock-tick resolution, 10 ms); nullopt when unreadable.
std::optional<double> cpu_seconds(int pid);

// Adds up the server's CPU time over the timed parts of a workload.
class ServerCpu {
 public:
  explicit ServerCpu(std::optional<int> pid) : pid_(pid) {}

  void start();
  void stop();
  // nullopt without a pid, or when /proc could not be read.
  std::optional<double> seconds() const { return valid_ ? std::optional<double>(total_) : std::nullopt; }

 private:
  std::optional<int> pid_;
  std::optional<double> started_;
  double total_ = 0;
  bool valid_ = false;
};

}  // namespace bench
