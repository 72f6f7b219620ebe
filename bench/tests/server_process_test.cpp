#include "bench/server_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

namespace bench {
namespace {

// Spins until this process has used `seconds` more CPU time.
void burn_cpu(double seconds) {
  const double until = cpu_seconds(::getpid()).value_or(0) + seconds;
  volatile unsigned long sink = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (cpu_seconds(::getpid()).value_or(until) < until && std::chrono::steady_clock::now() < give_up) {
    for (int i = 0; i < 100000; ++i) sink = sink + i;
  }
}

TEST(ServerProcess, ReadsOwnResidentMemoryAndCpuTime) {
  const auto rss = resident_kib(::getpid());
  ASSERT_TRUE(rss);
  EXPECT_GT(*rss, 0u);
  EXPECT_TRUE(cpu_seconds(::getpid()));
}

TEST(ServerProcess, AbsentProcessGivesNothing) {
  // pid_max is at most 2^22 on Linux: this pid cannot exist.
  EXPECT_FALSE(resident_kib(1 << 23));
  EXPECT_FALSE(cpu_seconds(1 << 23));
}

TEST(ServerCpu, AddsUpOnlyTheMeteredParts) {
  ServerCpu meter(::getpid());
  EXPECT_FALSE(meter.seconds());  // nothing metered yet
  meter.start();
  burn_cpu(0.05);
  meter.stop();
  burn_cpu(0.2);  // not metered
  ASSERT_TRUE(meter.seconds());
  EXPECT_GE(*meter.seconds(), 0.04);
  EXPECT_LT(*meter.seconds(), 0.2);
}

TEST(ServerCpu, WithoutAPidThereIsNoReading) {
  ServerCpu meter(std::nullopt);
  meter.start();
  meter.stop();
  EXPECT_FALSE(meter.seconds());
}

}  // namespace
}  // namespace bench
