// The crash test's verdict on made-up histories: each violation it exists to catch
// is caught, and what a kill may legitimately cause is not held against the server.
#include "tests/crash/crash_ledger.h"

#include <gtest/gtest.h>

namespace robustness {
namespace {

OutgoingMessage message(std::string body) { return {std::move(body), std::nullopt}; }

Delivery delivery(std::string id, std::string body, std::string receipt) {
  return {std::move(id), std::move(body), std::move(receipt), 1, std::nullopt};
}

TEST(CrashLedger, CleanHistoryHasNoViolations) {
  CrashLedger ledger;
  std::vector<OutgoingMessage> sent{message("a"), message("b")};
  ledger.attempted(sent);
  ledger.sent(sent, {"1", "2"});
  std::vector<Delivery> first{delivery("1", "a", "r1"), delivery("2", "b", "r2")};
  ledger.received(ledger.ticket(), first);
  EXPECT_TRUE(ledger.acked(first, {1, {"r2"}}));  // r2's lease had expired: refused
  ledger.received(ledger.ticket(), {delivery("2", "b", "r3")});

  CrashVerdict verdict = ledger.verdict();
  EXPECT_TRUE(verdict.violations.empty()) << verdict.violations.front();
  EXPECT_EQ(verdict.counts.sent_ok, 2u);
  EXPECT_EQ(verdict.counts.delivered, 2u);
  EXPECT_EQ(verdict.counts.deliveries, 3u);
  EXPECT_EQ(verdict.counts.redelivered, 1u);
  EXPECT_EQ(verdict.counts.acked, 1u);
}

TEST(CrashLedger, AnsweredSendNeverDeliveredIsLost) {
  CrashLedger ledger;
  std::vector<OutgoingMessage> sent{message("a")};
  ledger.attempted(sent);
  ledger.sent(sent, {"1"});
  CrashVerdict verdict = ledger.verdict();
  EXPECT_EQ(verdict.counts.lost, 1u);
  EXPECT_EQ(verdict.violations.size(), 1u);
}

TEST(CrashLedger, DeliveryBegunAfterAnAnsweredAckIsAResurrection) {
  CrashLedger ledger;
  std::vector<OutgoingMessage> sent{message("a")};
  ledger.attempted(sent);
  ledger.sent(sent, {"1"});
  Ticket before_ack = ledger.ticket();  // a receive already on its way when the ack is answered
  std::vector<Delivery> first{delivery("1", "a", "r1")};
  ledger.received(ledger.ticket(), first);
  ASSERT_TRUE(ledger.acked(first, {1, {}}));
  ledger.received(before_ack, {delivery("1", "a", "r2")});
  EXPECT_EQ(ledger.verdict().counts.resurrected_after_ack, 0u);

  ledger.received(ledger.ticket(), {delivery("1", "a", "r3")});
  CrashVerdict verdict = ledger.verdict();
  EXPECT_EQ(verdict.counts.resurrected_after_ack, 1u);
  EXPECT_FALSE(verdict.violations.empty());
}

TEST(CrashLedger, UnansweredSendMayBeDeliveredButNotInventedOrAltered) {
  CrashLedger ledger;
  std::vector<OutgoingMessage> attempted{message("maybe")};
  ledger.attempted(attempted);  // no answer: stored or not, both are fine
  std::vector<OutgoingMessage> sent{message("a")};
  ledger.attempted(sent);
  ledger.sent(sent, {"1"});
  ledger.received(ledger.ticket(), {delivery("7", "maybe", "r1"), delivery("1", "a", "r2")});
  EXPECT_TRUE(ledger.verdict().violations.empty());
  EXPECT_EQ(ledger.verdict().counts.delivered_unconfirmed, 1u);

  ledger.received(ledger.ticket(), {delivery("8", "never sent", "r3"), delivery("1", "altered", "r4")});
  EXPECT_EQ(ledger.verdict().violations.size(), 2u);
}

TEST(CrashLedger, IdAnsweredForTwoSendsAndAckCountsThatDoNotAddUpAreViolations) {
  CrashLedger ledger;
  std::vector<OutgoingMessage> first{message("a")};
  std::vector<OutgoingMessage> second{message("b")};
  ledger.sent(first, {"1"});
  ledger.sent(second, {"1"});
  std::vector<Delivery> got{delivery("1", "a", "r1")};
  ledger.received(ledger.ticket(), got);
  EXPECT_FALSE(ledger.acked(got, {2, {}}));
  EXPECT_EQ(ledger.verdict().violations.size(), 2u);
}

}  // namespace
}  // namespace robustness
