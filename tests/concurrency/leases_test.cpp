// The checks the concurrency test draws its verdict from, on leases made up by hand:
// they must find what they are there to find.
#include "tests/concurrency/leases.h"

#include <gtest/gtest.h>

namespace robustness {
namespace {

using std::chrono::milliseconds;

Lease lease(std::string id, int from_ms, int to_ms, std::string group = "") {
  SteadyTime origin{};
  Lease made;
  made.message_id = std::move(id);
  made.body = "body of " + made.message_id;
  if (!group.empty()) made.group_id = std::move(group);
  made.start = origin + milliseconds(from_ms);
  made.end = origin + milliseconds(to_ms);
  made.acked = true;
  return made;
}

std::string by_id(const Lease& lease) { return lease.message_id; }
std::string by_group(const Lease& lease) { return lease.group_id.value_or(""); }

TEST(LeaseChecks, HandOversInSequenceAreNoOverlap) {
  // 1 is released at 10 and received again at 10 (touching, not overlapping), then at 30.
  EXPECT_TRUE(
      find_overlaps({lease("1", 20, 30), lease("1", 0, 10), lease("1", 10, 15), lease("2", 0, 50)}, by_id).empty());
}

TEST(LeaseChecks, SameMessageHeldTwiceIsFound) {
  auto overlaps = find_overlaps({lease("1", 0, 10), lease("2", 5, 6), lease("1", 9, 20)}, by_id);
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_NE(overlaps[0].find("message 1"), std::string::npos) << overlaps[0];
}

TEST(LeaseChecks, LeaseInsideAnEarlierLongerOneIsFound) {
  // The second lease ends before the third starts, but the first still runs: compared
  // with the latest end so far, not merely the previous lease.
  EXPECT_EQ(find_overlaps({lease("1", 0, 100), lease("1", 10, 20), lease("1", 30, 40)}, by_id).size(), 2u);
}

TEST(LeaseChecks, TwoOfOneGroupInFlightIsFoundAndOtherGroupsAreFree) {
  std::vector<Lease> leases{lease("1", 0, 10, "a"), lease("2", 0, 10, "b"), lease("3", 5, 15, "a")};
  EXPECT_EQ(find_overlaps(leases, by_group).size(), 1u);
  EXPECT_TRUE(find_overlaps(leases, by_id).empty());
}

TEST(LeaseChecks, MaxConcurrentCountsLeasesHeldAtOneMoment) {
  EXPECT_EQ(max_concurrent({}), 0u);
  EXPECT_EQ(max_concurrent({lease("1", 0, 10), lease("2", 10, 20)}), 1u);
  EXPECT_EQ(max_concurrent({lease("1", 0, 10), lease("2", 5, 20), lease("3", 6, 7), lease("4", 30, 40)}), 3u);
}

}  // namespace
}  // namespace robustness
