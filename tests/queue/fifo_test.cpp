// FIFO queues: order within a group, one in flight per group, groups in parallel.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Fifo);

constexpr const char* queue_name = "jobs.fifo";

ServiceHarness& with_fifo(ServiceHarness& h) {
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  h.create(queue_name, patch);
  return h;
}

TEST_P(Fifo, GroupDeliversInSendOrderOneAtATime) {
  ServiceHarness h;
  with_fifo(h);
  ASSERT_TRUE(h.send(queue_name, {fifo_message("1", "g"), fifo_message("2", "g"), fifo_message("3", "g")}).ok());

  auto first = h.receive_ok(queue_name, 10);
  ASSERT_EQ(bodies(first), (std::vector<std::string>{"1"}));  // one per group per receive
  ASSERT_EQ(first[0].group_id, std::optional<std::string>("g"));
  EXPECT_TRUE(h.receive_ok(queue_name, 10).empty());  // group blocked while its head is in flight
  EXPECT_EQ(h.stats(queue_name).visible, 2);          // but the others count as visible

  EXPECT_EQ(h.ack(queue_name, {first[0].receipt}).value().acked, 1);
  auto second = h.receive_ok(queue_name, 10);
  ASSERT_EQ(bodies(second), (std::vector<std::string>{"2"}));
  h.ack(queue_name, {second[0].receipt});
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"3"}));
}

TEST_P(Fifo, ExpiredLeaseRedeliversTheSameHeadBeforeLaterMessages) {
  ServiceHarness h;
  with_fifo(h);
  ASSERT_TRUE(h.send(queue_name, {fifo_message("1", "g"), fifo_message("2", "g")}).ok());
  auto first = h.receive_ok(queue_name);
  h.advance_ms(10'000);
  auto again = h.receive_ok(queue_name, 10);
  ASSERT_EQ(bodies(again), (std::vector<std::string>{"1"}));
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_P(Fifo, GroupsFlowInParallel) {
  ServiceHarness h;
  with_fifo(h);
  ASSERT_TRUE(h.send(queue_name, {fifo_message("a1", "a"), fifo_message("a2", "a"), fifo_message("b1", "b"),
                                  fifo_message("c1", "c")})
                  .ok());
  auto got = h.receive_ok(queue_name, 10);
  EXPECT_EQ(bodies(got), (std::vector<std::string>{"a1", "b1", "c1"}));
  // Group a is blocked behind a1; releasing a1 makes it the head again, not a2.
  h.change_visibility(queue_name, {got[0].receipt}, 0);
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"a1"}));
}

TEST_P(Fifo, LaterSendsToABusyGroupWaitBehindIt) {
  ServiceHarness h;
  with_fifo(h);
  h.send(queue_name, {fifo_message("1", "g")});
  auto first = h.receive_ok(queue_name);
  h.send(queue_name, {fifo_message("2", "g"), fifo_message("x", "other")});
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"x"}));
  h.ack(queue_name, {first[0].receipt});
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"2"}));
}

TEST_P(Fifo, DelayedHeadHoldsItsGroup) {
  ServiceHarness h;
  with_fifo(h);
  OutgoingMessage later = fifo_message("1", "g");
  later.delay_s = 5;
  h.send(queue_name, {later, fifo_message("2", "g")});
  EXPECT_TRUE(h.receive_ok(queue_name, 10).empty());
  h.advance_ms(5'000);
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"1"}));
}

TEST_P(Fifo, GroupIdIsRequiredOnFifoAndRejectedOnStandard) {
  ServiceHarness h;
  with_fifo(h);
  h.create("plain");
  auto missing = h.send(queue_name, {message("x")});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_request);
  auto unexpected = h.send("plain", {fifo_message("x", "g")});
  ASSERT_FALSE(unexpected.ok());
  EXPECT_EQ(unexpected.error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.stats(queue_name).visible + h.stats("plain").visible, 0);
}

TEST_P(Fifo, DeadLetterKeepsGroupsAndUnblocksTheSource) {
  ServiceHarness h;
  h.create("dead.fifo");
  AttributesPatch patch;
  patch.visibility_timeout_s = 10;
  patch.dead_letter = DeadLetterPolicy{"dead.fifo", 1};
  h.create(queue_name, patch);
  h.send(queue_name, {fifo_message("poison", "g"), fifo_message("next", "g")});
  ASSERT_EQ(bodies(h.receive_ok(queue_name)), (std::vector<std::string>{"poison"}));
  h.advance_ms(10'000);
  // The poison message moves; the group's next message is delivered in its place.
  EXPECT_EQ(bodies(h.receive_ok(queue_name, 10)), (std::vector<std::string>{"next"}));
  auto dead = h.receive_ok("dead.fifo");
  ASSERT_EQ(bodies(dead), (std::vector<std::string>{"poison"}));
  EXPECT_EQ(dead[0].group_id, std::optional<std::string>("g"));
}

}  // namespace
}  // namespace queue::testing
