#include "queue/worker/signals.h"

#include <gtest/gtest.h>

#include <pthread.h>

#include "tests/worker/test_support.h"

namespace queue::worker::testing {
namespace {

TEST(RunUntilSignal, SigtermStopsTheWorkerGracefullyAndIsReturned) {
  TerminationSignals signals;  // before any thread of this test starts
  auto clock = std::make_shared<ManualClock>();
  auto fake = std::make_shared<FakeQueueClient>(clock);
  for (int i = 0; i < 3; ++i) fake->push("job");
  WorkerOptions options;
  options.clock = clock;
  options.ack_flush_delay = std::chrono::hours(1);  // only the stop's flush sends the acks
  std::atomic<int> handled{0};
  Worker worker(fake, "q", [&](const Job&) {
    ++handled;
    return Outcome::ack();
  }, options);

  const pthread_t self = pthread_self();
  std::jthread sender([&] {
    if (fake->wait_until([&] { return handled.load() == 3; })) pthread_kill(self, SIGTERM);
  });
  EXPECT_EQ(run_until_signal(worker, signals), SIGTERM);
  EXPECT_EQ(worker.counters().succeeded, 3u);
  EXPECT_EQ(fake->remaining(), 0u);
}

}  // namespace
}  // namespace queue::worker::testing
