// The contract's conformance suite (queue/contract/client.h): every call of API v1,
// written once, run on every transport and both engines (transports.h). What Raptor's
// code sees through the in-process client must be exactly what it will see over HTTP
// after extraction: the same results, the same error codes, the same ordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "tests/client/transports.h"

namespace client_test {
namespace {

namespace contract = queue::contract;
using namespace std::chrono_literals;
using contract::ErrorCode;

contract::CallOptions soon() { return contract::within(10s); }

contract::OutgoingMessage message(std::string body) {
  contract::OutgoingMessage built;
  built.body = std::move(body);
  return built;
}

contract::OutgoingMessage in_group(std::string body, std::string group) {
  contract::OutgoingMessage built = message(std::move(body));
  built.group_id = std::move(group);
  return built;
}

contract::ReceiveRequest up_to(int max, std::optional<int> visibility_timeout_s = std::nullopt, int wait_s = 0) {
  contract::ReceiveRequest request;
  request.max = max;
  request.visibility_timeout_s = visibility_timeout_s;
  request.wait_s = wait_s;
  return request;
}

std::vector<std::string> bodies(const std::vector<contract::ReceivedMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& received : messages) out.push_back(received.body);
  return out;
}

std::vector<std::string> receipts(const std::vector<contract::ReceivedMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& received : messages) out.push_back(received.receipt);
  return out;
}

template <typename T>
ErrorCode code_of(const contract::Result<T>& result) {
  EXPECT_FALSE(result.ok()) << "expected an error";
  return result.ok() ? ErrorCode::internal_error : result.error().code;
}

QUEUE_CLIENT_SUITE(Conformance);

// --- queues ---

TEST_P(Conformance, PutCreatesThenUpdatesAndGetShowsAttributesAndStats) {
  contract::QueuePatch patch;
  patch.visibility_timeout_s = 45;
  auto created = client().put_queue("orders", patch, soon());
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->queue.name, "orders");
  EXPECT_EQ(created->queue.attributes.visibility_timeout_s, 45);
  EXPECT_FALSE(created->queue.attributes.fifo);
  EXPECT_GT(created->queue.created_at_ms, 0);

  contract::QueuePatch update;
  update.delay_s = 3;
  auto updated = client().put_queue("orders", update, soon());
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(updated->queue.attributes.delay_s, 3);
  EXPECT_EQ(updated->queue.attributes.visibility_timeout_s, 45) << "fields absent from a patch stay";

  ASSERT_TRUE(client().send("orders", {message("a"), message("b")}, soon()).ok());
  auto got = client().get_queue("orders", soon());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->attributes, updated->queue.attributes);
  EXPECT_EQ(got->stats.delayed, 2) << "the queue's delay_s applies to messages sent without one";
  EXPECT_EQ(got->stats.visible, 0);
}

TEST_P(Conformance, APausedQueueTakesSendsAndGivesNothingUntilResumed) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  contract::QueuePatch pause;
  pause.paused = true;
  auto paused = client().put_queue("q", pause, soon());
  ASSERT_TRUE(paused.ok());
  EXPECT_TRUE(paused->queue.attributes.paused);
  ASSERT_TRUE(client().send("q", {message("held")}, soon()).ok());
  EXPECT_TRUE(client().receive("q", up_to(10), soon())->empty());
  EXPECT_TRUE(client().get_queue("q", soon())->attributes.paused);
  EXPECT_EQ(client().get_queue("q", soon())->stats.visible, 1);

  contract::QueuePatch resume;
  resume.paused = false;
  ASSERT_FALSE(client().put_queue("q", resume, soon())->queue.attributes.paused);
  EXPECT_EQ(bodies(*client().receive("q", up_to(10), soon())), (std::vector<std::string>{"held"}));
}

TEST_P(Conformance, ListPagesInNameOrderByPrefix) {
  for (const char* name : {"b-2", "a-1", "b-1", "b-3"}) ASSERT_TRUE(client().put_queue(name, {}, soon()).ok());
  contract::ListQueuesRequest first;
  first.prefix = "b-";
  first.limit = 2;
  auto page = client().list_queues(first, soon());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->names, (std::vector<std::string>{"b-1", "b-2"}));
  ASSERT_TRUE(page->next_cursor.has_value());
  contract::ListQueuesRequest second = first;
  second.cursor = *page->next_cursor;
  auto rest = client().list_queues(second, soon());
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->names, (std::vector<std::string>{"b-3"}));
  EXPECT_FALSE(rest->next_cursor.has_value());
}

TEST_P(Conformance, DeleteRemovesTheQueueAndADeadLetterQueueInUseIsAConflict) {
  ASSERT_TRUE(client().put_queue("jobs-dlq", {}, soon()).ok());
  contract::QueuePatch patch;
  patch.dead_letter = contract::DeadLetterPolicy{"jobs-dlq", 2};
  ASSERT_TRUE(client().put_queue("jobs", patch, soon()).ok());

  EXPECT_EQ(code_of(client().delete_queue("jobs-dlq", soon())), ErrorCode::conflict);
  ASSERT_TRUE(client().delete_queue("jobs", soon()).ok());
  EXPECT_EQ(code_of(client().get_queue("jobs", soon())), ErrorCode::queue_not_found);
  EXPECT_TRUE(client().delete_queue("jobs-dlq", soon()).ok());
}

// --- messages ---

TEST_P(Conformance, SendReceiveAckRoundTripKeepsBodiesAttributesAndOrder) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  contract::OutgoingMessage with_attributes = message("{\"n\":1} ünïcødé");
  with_attributes.attributes = {{"kind", "greeting"}, {"trace", "t-1"}};
  auto sent = client().send("q", {with_attributes, message("second"), message("")}, soon());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->ids.size(), 3u);
  EXPECT_LT(std::stoll(sent->ids[0]), std::stoll(sent->ids[1]));

  auto received = client().receive("q", up_to(10), soon());
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 3u);
  EXPECT_EQ(bodies(*received), (std::vector<std::string>{"{\"n\":1} ünïcødé", "second", ""}));
  EXPECT_EQ((*received)[0].id, sent->ids[0]);
  EXPECT_EQ((*received)[0].attributes, with_attributes.attributes);
  EXPECT_EQ((*received)[0].receive_count, 1);
  EXPECT_GT((*received)[0].sent_at_ms, 0);
  EXPECT_FALSE((*received)[0].group_id.has_value());

  auto acked = client().ack("q", receipts(*received), soon());
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->acked, 3);
  EXPECT_TRUE(acked->failed.empty());
  auto stats = client().get_queue("q", soon())->stats;
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
}

TEST_P(Conformance, ABatchWithOneBadMessageEnqueuesNothing) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  auto refused = client().send("q", {message("fine"), in_group("a group on a standard queue", "g")}, soon());
  EXPECT_EQ(code_of(refused), ErrorCode::invalid_request);
  EXPECT_TRUE(client().receive("q", up_to(10), soon())->empty());
}

TEST_P(Conformance, ARepeatedDedupIdReturnsTheFirstIdAndEnqueuesOnce) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  contract::OutgoingMessage once = message("once");
  once.dedup_id = "order-42";
  auto first = client().send("q", {once}, soon());
  auto again = client().send("q", {once}, soon());
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->ids, again->ids);
  EXPECT_EQ(client().get_queue("q", soon())->stats.visible, 1);
}

TEST_P(Conformance, ADelayedMessageIsPeekableButNotReceivable) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  contract::OutgoingMessage later = message("later");
  later.delay_s = 600;
  ASSERT_TRUE(client().send("q", {later}, soon()).ok());
  EXPECT_TRUE(client().receive("q", up_to(1), soon())->empty());
  contract::PeekRequest delayed;
  delayed.state = contract::PeekState::delayed;
  auto peeked = client().peek("q", delayed, soon());
  ASSERT_TRUE(peeked.ok());
  ASSERT_EQ(peeked->messages.size(), 1u);
  EXPECT_EQ(peeked->messages[0].body, "later");
  EXPECT_EQ(peeked->messages[0].state, contract::PeekState::delayed);
  EXPECT_GT(peeked->messages[0].visible_at_ms, peeked->messages[0].sent_at_ms + 500'000);
}

TEST_P(Conformance, VisibilityZeroRedeliversAndTheOldReceiptIsFenced) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  ASSERT_TRUE(client().send("q", {message("m")}, soon()).ok());
  auto first = client().receive("q", up_to(1, 60), soon());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE(client().receive("q", up_to(1), soon())->empty()) << "leased: nobody else gets it";

  auto released = client().change_visibility("q", receipts(*first), 0, soon());
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->updated, 1);
  auto second = client().receive("q", up_to(1), soon());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].receive_count, 2);

  auto late = client().ack("q", receipts(*first), soon());
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->acked, 0) << "a lost lease's receipt must not delete the redelivery";
  ASSERT_EQ(late->failed.size(), 1u);
  EXPECT_EQ(late->failed[0].code, ErrorCode::receipt_invalid);
  EXPECT_EQ(late->failed[0].receipt, (*first)[0].receipt);
  EXPECT_EQ(client().ack("q", receipts(*second), soon())->acked, 1);
}

TEST_P(Conformance, FifoGroupsKeepOrderWithOneInFlightEach) {
  ASSERT_TRUE(client().put_queue("jobs.fifo", {}, soon()).ok());
  ASSERT_TRUE(client().send("jobs.fifo", {in_group("a1", "a"), in_group("a2", "a"), in_group("b1", "b")}, soon()).ok());
  auto first = client().receive("jobs.fifo", up_to(10), soon());
  EXPECT_EQ(bodies(*first), (std::vector<std::string>{"a1", "b1"}));
  EXPECT_EQ((*first)[0].group_id, "a");
  EXPECT_TRUE(client().receive("jobs.fifo", up_to(10), soon())->empty()) << "a2 waits for a1's ack";
  ASSERT_EQ(client().ack("jobs.fifo", receipts(*first), soon())->acked, 2);
  EXPECT_EQ(bodies(*client().receive("jobs.fifo", up_to(10), soon())), (std::vector<std::string>{"a2"}));
  EXPECT_EQ(code_of(client().send("jobs.fifo", {message("no group")}, soon())), ErrorCode::invalid_request);
}

TEST_P(Conformance, AReceiveCarriesAcksAndAnswersThemPerReceiptBesideTheMessages) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  ASSERT_TRUE(client().send("q", {message("a"), message("b")}, soon()).ok());
  auto first = client().receive("q", up_to(1), soon());
  ASSERT_EQ(bodies(*first), (std::vector<std::string>{"a"}));

  contract::ReceiveRequest next = up_to(1);
  next.ack = {(*first)[0].receipt, "bogus"};
  auto second = client().receive_with_acks("q", next, soon());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->acks.acked, 1);
  ASSERT_EQ(second->acks.failed.size(), 1u) << "a malformed receipt fails alone, as in ack()";
  EXPECT_EQ(second->acks.failed[0].receipt, "bogus");
  EXPECT_EQ(second->acks.failed[0].code, ErrorCode::receipt_invalid);
  EXPECT_EQ(bodies(second->messages), (std::vector<std::string>{"b"}));

  contract::ReceiveRequest last = up_to(1);
  last.ack = receipts(second->messages);
  auto third = client().receive_with_acks("q", last, soon());
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third->acks.acked, 1);
  EXPECT_TRUE(third->messages.empty());
  auto stats = client().get_queue("q", soon())->stats;
  EXPECT_EQ(stats.visible + stats.in_flight, 0);

  auto plain = client().receive_with_acks("q", up_to(1), soon());
  ASSERT_TRUE(plain.ok()) << "no acks: a plain receive";
  EXPECT_EQ(plain->acks.acked, 0);
  EXPECT_TRUE(plain->acks.failed.empty());

  EXPECT_EQ(code_of(client().receive("q", last, soon())), ErrorCode::invalid_request)
      << "receive() has nowhere to answer acks";
  contract::ReceiveRequest too_many = up_to(1);
  too_many.ack.assign(101, "r");
  EXPECT_EQ(code_of(client().receive_with_acks("q", too_many, soon())), ErrorCode::invalid_request);
}

TEST_P(Conformance, AnAckedFifoHeadLetsTheSameReceiveGetTheGroupsNext) {
  ASSERT_TRUE(client().put_queue("jobs.fifo", {}, soon()).ok());
  ASSERT_TRUE(client().send("jobs.fifo", {in_group("a1", "a"), in_group("a2", "a")}, soon()).ok());
  auto head = client().receive("jobs.fifo", up_to(10), soon());
  ASSERT_EQ(bodies(*head), (std::vector<std::string>{"a1"}));
  contract::ReceiveRequest next = up_to(10);
  next.ack = receipts(*head);
  auto got = client().receive_with_acks("jobs.fifo", next, soon());
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->acks.acked, 1);
  EXPECT_EQ(bodies(got->messages), (std::vector<std::string>{"a2"}));
}

TEST_P(Conformance, DeadLettersAfterMaxReceivesAndRedriveBringsThemBack) {
  ASSERT_TRUE(client().put_queue("work-dlq", {}, soon()).ok());
  contract::QueuePatch patch;
  patch.dead_letter = contract::DeadLetterPolicy{"work-dlq", 1};
  ASSERT_TRUE(client().put_queue("work", patch, soon()).ok());
  ASSERT_TRUE(client().send("work", {message("poison")}, soon()).ok());

  auto delivered = client().receive("work", up_to(1), soon());
  ASSERT_EQ(delivered->size(), 1u);
  ASSERT_EQ(client().change_visibility("work", receipts(*delivered), 0, soon())->updated, 1);
  EXPECT_TRUE(client().receive("work", up_to(1), soon())->empty()) << "the second delivery moves it instead";
  EXPECT_EQ(client().get_queue("work-dlq", soon())->stats.visible, 1);

  auto moved = client().redrive("work-dlq", {}, soon());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->moved, 1);
  auto back = client().receive("work", up_to(1), soon());
  EXPECT_EQ(bodies(*back), (std::vector<std::string>{"poison"}));
}

TEST_P(Conformance, PurgeEmptiesAndPeekShowsEachState) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  ASSERT_TRUE(client().send("q", {message("1"), message("2"), message("3")}, soon()).ok());
  ASSERT_EQ(client().receive("q", up_to(1, 60), soon())->size(), 1u);
  contract::PeekRequest in_flight;
  in_flight.state = contract::PeekState::in_flight;
  EXPECT_EQ(client().peek("q", in_flight, soon())->messages.size(), 1u);
  EXPECT_EQ(client().peek("q", {}, soon())->messages.size(), 2u);
  auto purged = client().purge("q", soon());
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->purged, 3);
  EXPECT_TRUE(client().peek("q", {}, soon())->messages.empty());
}

TEST_P(Conformance, PeekPagesFollowNextCursorAndGetMessageFindsOneById) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  auto sent = client().send("q", {message("1"), message("2"), message("3")}, soon());
  ASSERT_TRUE(sent.ok());
  contract::PeekRequest first;
  first.limit = 2;
  auto page = client().peek("q", first, soon());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->messages.size(), 2u);
  ASSERT_TRUE(page->next_cursor.has_value());
  contract::PeekRequest next = first;
  next.cursor = *page->next_cursor;
  auto rest = client().peek("q", next, soon());
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->messages.size(), 1u);
  EXPECT_EQ(rest->messages[0].body, "3");
  EXPECT_FALSE(rest->next_cursor.has_value());
  contract::PeekRequest bad = first;
  bad.cursor = "not-a-cursor";
  EXPECT_EQ(code_of(client().peek("q", bad, soon())), ErrorCode::invalid_request);

  ASSERT_EQ(client().receive("q", up_to(1, 60), soon())->size(), 1u);
  auto found = client().get_message("q", sent->ids[0], soon());
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->body, "1");
  EXPECT_EQ(found->state, contract::PeekState::in_flight);
  EXPECT_EQ(found->receive_count, 1);
  EXPECT_EQ(client().get_message("q", sent->ids[1], soon())->state, contract::PeekState::visible);
  EXPECT_EQ(code_of(client().get_message("q", "999999999", soon())), ErrorCode::message_not_found);
  EXPECT_EQ(code_of(client().get_message("missing", sent->ids[0], soon())), ErrorCode::queue_not_found);
}

// --- long polls, deadlines, cancellation ---

TEST_P(Conformance, ALongPollIsAnsweredByASendWithoutWaitingItsWholeWait) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  std::promise<contract::Result<std::vector<contract::ReceivedMessage>>> answer;
  auto answered = answer.get_future();
  const auto started = std::chrono::steady_clock::now();
  client().async_receive("q", up_to(1, std::nullopt, 20), contract::within(30s),
                         [&answer](auto result) { answer.set_value(std::move(result)); });
  ASSERT_TRUE(client().send("q", {message("wake up")}, soon()).ok());
  ASSERT_EQ(answered.wait_for(15s), std::future_status::ready);
  auto received = answered.get();
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(bodies(*received), (std::vector<std::string>{"wake up"}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
}

TEST_P(Conformance, ALongPollCarryingAcksAppliesThemAtOnceAndAnswersThemWhenWoken) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  ASSERT_TRUE(client().send("q", {message("a")}, soon()).ok());
  auto held = client().receive("q", up_to(1), soon());
  ASSERT_EQ(held->size(), 1u);

  std::promise<contract::Result<contract::ReceiveResult>> answer;
  auto answered = answer.get_future();
  contract::ReceiveRequest waiting = up_to(1, std::nullopt, 20);
  waiting.ack = receipts(*held);
  client().async_receive_with_acks("q", waiting, contract::within(30s),
                                   [&answer](auto result) { answer.set_value(std::move(result)); });
  // Acked while the poll waits: nothing is in flight, and nothing answered it yet.
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (client().get_queue("q", soon())->stats.in_flight != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(client().get_queue("q", soon())->stats.in_flight, 0);
  EXPECT_EQ(answered.wait_for(0ms), std::future_status::timeout);

  ASSERT_TRUE(client().send("q", {message("b")}, soon()).ok());
  ASSERT_EQ(answered.wait_for(15s), std::future_status::ready);
  auto received = answered.get();
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_EQ(received->acks.acked, 1);
  EXPECT_EQ(bodies(received->messages), (std::vector<std::string>{"b"}));
}

TEST_P(Conformance, AStopTokenEndsAParkedPollWithAnEmptyAnswer) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  std::stop_source stop;
  std::promise<contract::Result<std::vector<contract::ReceivedMessage>>> answer;
  auto answered = answer.get_future();
  client().async_receive("q", up_to(1, std::nullopt, 20), contract::within(30s, stop.get_token()),
                         [&answer](auto result) { answer.set_value(std::move(result)); });
  EXPECT_EQ(answered.wait_for(200ms), std::future_status::timeout) << "parked, nothing to receive";
  stop.request_stop();
  ASSERT_EQ(answered.wait_for(5s), std::future_status::ready);
  auto received = answered.get();
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_TRUE(received->empty());
  // Nothing was leased by the cancelled poll: a message sent now is there for the next.
  ASSERT_TRUE(client().send("q", {message("after")}, soon()).ok());
  EXPECT_EQ(client().receive("q", up_to(1), soon())->size(), 1u);
}

TEST_P(Conformance, ALongPollEndsByItsDeadline) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  const auto started = std::chrono::steady_clock::now();
  auto received = client().receive("q", up_to(1, std::nullopt, 20), contract::within(3s));
  const auto took = std::chrono::steady_clock::now() - started;
  // Cut to fit the deadline: an empty answer in time (or deadline_exceeded at worst), never the whole 20 s.
  if (received.ok()) {
    EXPECT_TRUE(received->empty());
  } else {
    EXPECT_EQ(received.error().code, ErrorCode::deadline_exceeded);
  }
  EXPECT_LT(took, 6s);
}

TEST_P(Conformance, APassedDeadlineFailsWithoutTouchingTheQueue) {
  ASSERT_TRUE(client().put_queue("q", {}, soon()).ok());
  contract::CallOptions passed{std::chrono::steady_clock::now() - 1ms, {}};
  EXPECT_EQ(code_of(client().send("q", {message("never")}, passed)), ErrorCode::deadline_exceeded);
  EXPECT_EQ(client().get_queue("q", soon())->stats.visible, 0);
}

// --- errors: the same code from every transport ---

TEST_P(Conformance, EachErrorCodeQueueAnswersIsTheSameOnEveryTransport) {
  EXPECT_EQ(code_of(client().put_queue("bad name!", {}, soon())), ErrorCode::invalid_request);
  EXPECT_EQ(code_of(client().receive("missing", up_to(1), soon())), ErrorCode::queue_not_found);
  EXPECT_EQ(code_of(client().receive("missing", up_to(0), soon())), ErrorCode::invalid_request);

  contract::QueuePatch fifo;
  fifo.fifo = false;
  ASSERT_TRUE(client().put_queue("kind.fifo", {}, soon()).ok());
  EXPECT_EQ(code_of(client().put_queue("kind.fifo", fifo, soon())), ErrorCode::conflict);

  contract::QueuePatch small;
  small.max_message_bytes = 5;
  ASSERT_TRUE(client().put_queue("small", small, soon()).ok());
  auto too_large = client().send("small", {message("far more than five bytes")}, soon());
  EXPECT_EQ(code_of(too_large), ErrorCode::payload_too_large);
  if (!too_large.ok()) {
    EXPECT_FALSE(too_large.error().message.empty());
  }

  auto bogus = client().ack("small", {"bogus"}, soon());
  ASSERT_TRUE(bogus.ok()) << "a bad receipt fails alone, inside a successful answer";
  EXPECT_EQ(bogus->acked, 0);
  ASSERT_EQ(bogus->failed.size(), 1u);
  EXPECT_EQ(bogus->failed[0].code, ErrorCode::receipt_invalid);

  EXPECT_EQ(code_of(client().ack("small", {}, soon())), ErrorCode::invalid_request) << "1..100 receipts";
  EXPECT_EQ(code_of(client().change_visibility("small", {"x"}, 43'201, soon())), ErrorCode::invalid_request);
  contract::PeekRequest too_many;
  too_many.limit = 101;
  EXPECT_EQ(code_of(client().peek("small", too_many, soon())), ErrorCode::invalid_request);
}

}  // namespace
}  // namespace client_test
