// Dead-letter queues: moves at max_receives + 1, redrive back or elsewhere, config rules.
#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(DeadLetter);

AttributesPatch dead_letter(const std::string& queue, int max_receives) {
  AttributesPatch patch;
  patch.dead_letter = DeadLetterPolicy{queue, max_receives};
  patch.visibility_timeout_s = 10;
  return patch;
}

// Receives and lets the lease expire, `times` times.
void fail_deliveries(ServiceHarness& h, const std::string& queue, int times) {
  for (int i = 0; i < times; ++i) {
    ASSERT_EQ(h.receive_ok(queue).size(), 1u) << "delivery " << i + 1;
    h.advance_ms(10'000);
  }
}

Result<RedriveResult> redrive(ServiceHarness& h, const std::string& queue, RedriveRequest request = {}) {
  return await<RedriveResult>([&](auto done) { h.service().redrive(queue, request, std::move(done)); });
}

TEST_P(DeadLetter, MessageMovesInsteadOfItsMaxReceivesPlusFirstDelivery) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 2));
  std::string id = h.send_one("work", "poison");
  fail_deliveries(h, "work", 2);
  EXPECT_TRUE(h.receive_ok("work").empty());  // third delivery: moved instead
  EXPECT_EQ(h.stats("work").visible, 0);
  auto dead = h.receive_ok("dlq");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].id, id);
  EXPECT_EQ(dead[0].body, "poison");
  EXPECT_EQ(dead[0].receive_count, 3);
}

TEST_P(DeadLetter, MoveLeavesRoomForTheNextMessageInTheSameReceive) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 1));
  h.send_one("work", "poison");
  fail_deliveries(h, "work", 1);
  h.send_one("work", "good");
  EXPECT_EQ(bodies(h.receive_ok("work")), (std::vector<std::string>{"good"}));
  EXPECT_EQ(h.stats("dlq").visible, 1);
}

TEST_P(DeadLetter, RedriveReturnsMessagesToTheirSourceWithCountReset) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 1));
  h.send_one("work", "poison");
  fail_deliveries(h, "work", 1);
  EXPECT_TRUE(h.receive_ok("work").empty());
  ASSERT_EQ(h.stats("dlq").visible, 1);

  auto moved = redrive(h, "dlq");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved.value().moved, 1);
  EXPECT_EQ(h.stats("dlq").visible, 0);
  auto back = h.receive_ok("work");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].body, "poison");
  EXPECT_EQ(back[0].receive_count, 1);
}

TEST_P(DeadLetter, RedriveToAnotherQueueAndWithMax) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 1));
  h.create("retry");
  for (int i = 0; i < 3; ++i) h.send_one("work", "m" + std::to_string(i));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(h.receive_ok("work").size(), 1u);
  h.advance_ms(10'000);
  EXPECT_TRUE(h.receive_ok("work", 10).empty());
  ASSERT_EQ(h.stats("dlq").visible, 3);

  RedriveRequest request;
  request.to = "retry";
  request.max = 2;
  EXPECT_EQ(redrive(h, "dlq", request).value().moved, 2);
  EXPECT_EQ(bodies(h.receive_ok("retry", 10)), (std::vector<std::string>{"m0", "m1"}));
  EXPECT_EQ(h.stats("dlq").visible, 1);
  EXPECT_EQ(h.stats("work").visible, 0);
}

TEST_P(DeadLetter, RedriveLeavesMessagesInFlightInTheDeadLetterQueue) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 1));
  h.send_one("work", "x");
  fail_deliveries(h, "work", 1);
  h.receive_ok("work");
  ASSERT_EQ(h.receive_ok("dlq").size(), 1u);  // someone inspects it
  EXPECT_EQ(redrive(h, "dlq").value().moved, 0);
}

TEST_P(DeadLetter, ConfigurationRules) {
  ServiceHarness h;
  h.create("work");
  EXPECT_EQ(h.put("work", dead_letter("missing", 3)).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.put("work", dead_letter("work", 3)).error().code, ErrorCode::invalid_request);
  h.create("dlq.fifo");
  EXPECT_EQ(h.put("work", dead_letter("dlq.fifo", 3)).error().code, ErrorCode::invalid_request);
  h.create("dlq");
  EXPECT_EQ(h.put("work", dead_letter("dlq", 0)).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.put("work", dead_letter("dlq", 1001)).error().code, ErrorCode::invalid_request);
  auto ok = h.put("work", dead_letter("dlq", 3));
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok.value().queue.attributes.dead_letter);
  EXPECT_EQ(ok.value().queue.attributes.dead_letter->queue, "dlq");

  // Removing the policy (explicit null).
  AttributesPatch clear;
  clear.dead_letter = std::optional<DeadLetterPolicy>{};
  EXPECT_FALSE(h.put("work", clear).value().queue.attributes.dead_letter);
}

TEST_P(DeadLetter, DeletingAQueueUsedAsDeadLetterQueueIsAConflict) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 3));
  auto refused = await<Done>([&](auto done) { h.service().delete_queue("dlq", std::move(done)); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_NE(refused.error().message.find("work"), std::string::npos);
  AttributesPatch clear;
  clear.dead_letter = std::optional<DeadLetterPolicy>{};
  h.put("work", clear);
  EXPECT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("dlq", std::move(done)); }).ok());
}

TEST_P(DeadLetter, RedriveSkipsMessagesWhoseSourceWasDeleted) {
  ServiceHarness h;
  h.create("dlq");
  h.create("work", dead_letter("dlq", 1));
  h.send_one("work", "x");
  fail_deliveries(h, "work", 1);
  h.receive_ok("work");
  ASSERT_TRUE(await<Done>([&](auto done) { h.service().delete_queue("work", std::move(done)); }).ok());
  h.create("work");  // same name, a different queue
  EXPECT_EQ(redrive(h, "dlq").value().moved, 0);
  EXPECT_EQ(h.stats("dlq").visible, 1);
  RedriveRequest to_work;
  to_work.to = "work";
  EXPECT_EQ(redrive(h, "dlq", to_work).value().moved, 1);
}

TEST_P(DeadLetter, RedriveRequestValidation) {
  ServiceHarness h;
  h.create("dlq");
  h.create("jobs.fifo");
  EXPECT_EQ(redrive(h, "missing").error().code, ErrorCode::queue_not_found);
  RedriveRequest to_missing;
  to_missing.to = "missing";
  EXPECT_EQ(redrive(h, "dlq", to_missing).error().code, ErrorCode::invalid_request);
  RedriveRequest to_fifo;
  to_fifo.to = "jobs.fifo";
  EXPECT_EQ(redrive(h, "dlq", to_fifo).error().code, ErrorCode::invalid_request);
  RedriveRequest zero;
  zero.max = 0;
  EXPECT_EQ(redrive(h, "dlq", zero).error().code, ErrorCode::invalid_request);
}

}  // namespace
}  // namespace queue::testing
