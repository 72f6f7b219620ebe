// For tests of what only the shared engine has (several processes on one database,
// migrations racing, outages, bloat): the same rule as the conformance suite
// (engines.h) when QUEUE_TEST_POSTGRES_URL is missing, fail under CI, skip loudly
// elsewhere.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "engines.h"

namespace queue::testing {

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

// Polls `condition` every few milliseconds until it holds; false after `timeout`.
// For what crosses processes through the database and its notifications (never
// for lease or delay logic, which the ManualClock drives).
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace queue::testing
