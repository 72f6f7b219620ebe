// The verdicts of Deliveries on ledgers written by hand: each check catches what it
// names, so a passing end-to-end run means something.
#include "tests/worker_e2e/deliveries.h"

#include <gtest/gtest.h>

namespace worker_e2e {
namespace {

LedgerRecord start(std::string id, int receive_count, std::int64_t at_ms) {
  return {LedgerEvent::start, std::move(id), receive_count, at_ms};
}
LedgerRecord done(std::string id) { return {LedgerEvent::done, std::move(id)}; }
LedgerRecord acked(std::string id) { return {LedgerEvent::acked, std::move(id)}; }

TEST(Deliveries, LedgerLinesReadBackAsWritten) {
  const LedgerRecord record = start("42", 3, 1234);
  EXPECT_EQ(ledger_line(record), "start 42 3 1234\n");
  EXPECT_EQ(ledger_line(acked("42")), "acked 42\n");
}

TEST(Deliveries, ARunWhereEachMessageRanOnceHasNoViolation) {
  Deliveries deliveries;
  deliveries.add("a", {start("1", 1, 10), done("1"), acked("1")});
  deliveries.add("b", {start("2", 1, 11), done("2"), acked("2")});
  EXPECT_TRUE(deliveries.never_done({"1", "2"}).empty());
  EXPECT_TRUE(deliveries.started_twice_under_one_lease().empty());
  EXPECT_TRUE(deliveries.repeats_not_explained_by_kill("a", 100).empty());
  EXPECT_TRUE(deliveries.not_exactly_once().empty());
}

TEST(Deliveries, AMessageNeverStartedOrNeverFinishedIsLost) {
  Deliveries deliveries;
  deliveries.add("a", {start("1", 1, 10)});
  EXPECT_EQ(deliveries.never_done({"1", "2"}).size(), 2u);
}

TEST(Deliveries, TwoStartsUnderOneReceiveCountAreOneLeaseRunTwice) {
  Deliveries deliveries;
  deliveries.add("a", {start("1", 1, 10)});
  deliveries.add("b", {start("1", 1, 12), done("1"), acked("1")});
  EXPECT_EQ(deliveries.started_twice_under_one_lease().size(), 1u);
}

TEST(Deliveries, ARepeatIsExplainedOnlyByTheKilledWorkerDyingWithTheMessageUnacked) {
  Deliveries taken_over;
  taken_over.add("a", {start("1", 1, 10), done("1")});
  taken_over.add("b", {start("1", 2, 200), done("1"), acked("1")});
  EXPECT_TRUE(taken_over.repeats_not_explained_by_kill("a", 100).empty());
  EXPECT_EQ(taken_over.taken_over_from("a"), 1u);
  EXPECT_EQ(taken_over.not_exactly_once().size(), 1u);

  Deliveries while_alive;  // b started it before a died
  while_alive.add("a", {start("1", 1, 10)});
  while_alive.add("b", {start("1", 2, 50), done("1"), acked("1")});
  EXPECT_EQ(while_alive.repeats_not_explained_by_kill("a", 100).size(), 1u);

  Deliveries after_ack;  // a's ack was confirmed, yet the message came back
  after_ack.add("a", {start("1", 1, 10), done("1"), acked("1")});
  after_ack.add("b", {start("1", 2, 200), done("1"), acked("1")});
  EXPECT_EQ(after_ack.repeats_not_explained_by_kill("a", 100).size(), 1u);

  Deliveries survivor_repeated;  // b, alive, ran it twice
  survivor_repeated.add("b", {start("1", 1, 200), start("1", 2, 300), done("1"), acked("1")});
  EXPECT_EQ(survivor_repeated.repeats_not_explained_by_kill("a", 100).size(), 1u);
}

TEST(Deliveries, ExactlyOnceNeedsOneStartOneDoneAndOneAckByOneWorker) {
  Deliveries unacked;
  unacked.add("a", {start("1", 1, 10), done("1")});
  EXPECT_EQ(unacked.not_exactly_once().size(), 1u);

  Deliveries acked_elsewhere;
  acked_elsewhere.add("a", {start("1", 1, 10), done("1")});
  acked_elsewhere.add("b", {acked("1")});
  EXPECT_EQ(acked_elsewhere.not_exactly_once().size(), 1u);
}

}  // namespace
}  // namespace worker_e2e
