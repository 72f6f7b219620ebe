#include "bench/ledger.h"

#include <gtest/gtest.h>

#include "bench/payload.h"

namespace bench {
namespace {

TEST(Ledger, CountsDuplicatesLossesAndCorruption) {
  Ledger ledger(5);
  EXPECT_TRUE(ledger.record(make_body({0, 1})));
  EXPECT_TRUE(ledger.record(make_body({1, 1})));
  EXPECT_TRUE(ledger.record(make_body({1, 1})));  // duplicate
  EXPECT_TRUE(ledger.record(make_body({3, 1})));
  EXPECT_FALSE(ledger.record("garbage"));
  EXPECT_FALSE(ledger.record(make_body({9, 1})));  // never sent: beyond capacity

  const LedgerSummary summary = ledger.summary(5);
  EXPECT_EQ(summary.delivered, 4u);
  EXPECT_EQ(summary.distinct, 3u);
  EXPECT_EQ(summary.duplicates, 1u);
  ASSERT_TRUE(summary.losses);
  EXPECT_EQ(*summary.losses, 2u);  // 2 and 4
  EXPECT_EQ(summary.corrupt, 2u);
  EXPECT_EQ(ledger.distinct(), 3u);
}

TEST(Ledger, LossesAreUnknownWhenOnlyPartWasMeantToArrive) {
  Ledger ledger(10);
  ledger.record(make_body({2, 1}));
  EXPECT_FALSE(ledger.summary(std::nullopt).losses);
}

TEST(Ledger, ReturnsTheStampForLatency) {
  Ledger ledger(3);
  const auto stamp = ledger.record(make_body({2, 777}));
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sent_ns, 777u);
}

}  // namespace
}  // namespace bench
