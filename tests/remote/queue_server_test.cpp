// The client against a real Queue (queue::create_app on a web::Server, a SQLite file):
// every call of the contract over the wire, long polls beside short calls, stop tokens,
// and rotated tokens.
#include <gtest/gtest.h>

#include <future>

#include "queue/remote/http_client.h"
#include "tests/queue_api/api_server.h"

namespace remote_test {
namespace {

using namespace std::chrono_literals;
using queue::contract::ErrorCode;
using queue::contract::within;
using Clock = std::chrono::steady_clock;
namespace contract = queue::contract;

std::shared_ptr<contract::QueueClient> client_of(const queue_api_test::ApiServer& server, std::string token = "",
                                                 unsigned connections = 8) {
  return queue::remote::make_http_client({.base_url = "http://127.0.0.1:" + std::to_string(server.port()),
                                          .token = std::move(token),
                                          .max_connections_per_host = connections});
}

contract::OutgoingMessage message(std::string body) {
  contract::OutgoingMessage outgoing;
  outgoing.body = std::move(body);
  return outgoing;
}

TEST(RemoteQueue, EveryCallRoundTripsAgainstARealQueue) {
  queue_api_test::ApiServer server;
  auto queue = client_of(server);

  contract::QueuePatch none;
  auto dlq = queue->put_queue("jobs-dlq", none, within(5s));
  ASSERT_TRUE(dlq.ok()) << dlq.error().message;
  EXPECT_TRUE(dlq->created);
  contract::QueuePatch patch;
  patch.visibility_timeout_s = 30;
  patch.dead_letter = contract::DeadLetterPolicy{"jobs-dlq", 3};
  auto jobs = queue->put_queue("jobs", patch, within(5s));
  ASSERT_TRUE(jobs.ok()) << jobs.error().message;
  EXPECT_TRUE(jobs->created);
  EXPECT_EQ(jobs->queue.attributes.dead_letter, patch.dead_letter->value());
  EXPECT_GT(jobs->queue.created_at_ms, 1'600'000'000'000);
  auto again = queue->put_queue("jobs", patch, within(5s));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);

  auto listed = queue->list_queues({.prefix = "jobs", .limit = 1, .cursor = ""}, within(5s));
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->names, std::vector<std::string>{"jobs"});
  ASSERT_TRUE(listed->next_cursor.has_value());

  contract::OutgoingMessage with_attributes = message("second");
  with_attributes.attributes = {{"kind", "greeting"}};
  auto sent = queue->send("jobs", {message("first"), with_attributes}, within(5s));
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->ids.size(), 2u);

  auto peeked = queue->peek("jobs", {.state = contract::PeekState::visible, .limit = 10, .cursor = ""}, within(5s));
  ASSERT_TRUE(peeked.ok()) << peeked.error().message;
  EXPECT_EQ(peeked->messages.size(), 2u);

  auto received = queue->receive("jobs", {.max = 10, .visibility_timeout_s = 60, .wait_s = 0}, within(5s));
  ASSERT_TRUE(received.ok()) << received.error().message;
  ASSERT_EQ(received->size(), 2u);
  const contract::ReceivedMessage& second = received->at(1);
  EXPECT_EQ(second.body, "second");
  EXPECT_EQ(second.attributes, with_attributes.attributes);
  EXPECT_EQ(second.receive_count, 1);
  EXPECT_GT(second.sent_at_ms, 0);

  auto extended = queue->change_visibility("jobs", {second.receipt, "bogus"}, 0, within(5s));
  ASSERT_TRUE(extended.ok()) << extended.error().message;
  EXPECT_EQ(extended->updated, 1);
  ASSERT_EQ(extended->failed.size(), 1u);
  EXPECT_EQ(extended->failed[0].code, ErrorCode::receipt_invalid);

  auto acked = queue->ack("jobs", {received->at(0).receipt}, within(5s));
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(acked->acked, 1);

  auto stats = queue->get_queue("jobs", within(5s));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->stats.visible, 1);

  auto redriven = queue->redrive("jobs-dlq", {}, within(5s));
  ASSERT_TRUE(redriven.ok()) << redriven.error().message;
  EXPECT_EQ(redriven->moved, 0);
  auto purged = queue->purge("jobs", within(5s));
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->purged, 1);

  auto in_use = queue->delete_queue("jobs-dlq", within(5s));
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().code, ErrorCode::conflict);
  EXPECT_FALSE(in_use.error().request_id.empty());
  ASSERT_TRUE(queue->delete_queue("jobs", within(5s)).ok());
  auto gone = queue->get_queue("jobs", within(5s));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::queue_not_found);

  auto bad = queue->receive("jobs-dlq", {.max = 1000, .visibility_timeout_s = std::nullopt, .wait_s = 0}, within(5s));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_request);
}

TEST(RemoteQueue, ALongPollNeverHoldsUpAnAckOnTheSameClient) {
  queue_api_test::ApiServer server;
  auto queue = client_of(server, "", /*connections=*/1);  // one short-call connection only
  ASSERT_TRUE(queue->put_queue("idle", {}, within(5s)).ok());
  ASSERT_TRUE(queue->put_queue("jobs", {}, within(5s)).ok());
  ASSERT_TRUE(queue->send("jobs", {message("m")}, within(5s)).ok());
  auto received = queue->receive("jobs", {}, within(5s));
  ASSERT_TRUE(received.ok() && received->size() == 1);

  std::stop_source stop;
  std::promise<contract::Result<std::vector<contract::ReceivedMessage>>> poll;
  queue->async_receive("idle", {.max = 1, .visibility_timeout_s = std::nullopt, .wait_s = 20},
                       within(30s, stop.get_token()), [&](auto result) { poll.set_value(std::move(result)); });
  ASSERT_TRUE(server.wait_for_parked(1));

  auto started = Clock::now();
  auto acked = queue->ack("jobs", {received->front().receipt}, within(3s));
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(acked->acked, 1);
  EXPECT_LT(Clock::now() - started, 1s);

  // Then the stop token ends the parked poll at once, with an empty list.
  auto stopped_at = Clock::now();
  stop.request_stop();
  auto answered = poll.get_future();
  ASSERT_EQ(answered.wait_for(2s), std::future_status::ready);
  EXPECT_LT(Clock::now() - stopped_at, 1s);
  auto result = answered.get();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->empty());
  EXPECT_TRUE(server.wait_for_parked(0));  // the server saw the hang-up and let the poll go
}

TEST(RemoteQueue, ALongPollIsWokenByASendAndItsWaitFitsTheDeadline) {
  queue_api_test::ApiServer server;
  auto queue = client_of(server);
  ASSERT_TRUE(queue->put_queue("jobs", {}, within(5s)).ok());
  auto waiter = std::async(std::launch::async, [&] {
    return queue->receive("jobs", {.max = 1, .visibility_timeout_s = std::nullopt, .wait_s = 20}, within(10s));
  });
  ASSERT_TRUE(server.wait_for_parked(1));
  ASSERT_TRUE(queue->send("jobs", {message("wake up")}, within(5s)).ok());
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  auto woken = waiter.get();
  ASSERT_TRUE(woken.ok()) << woken.error().message;
  ASSERT_EQ(woken->size(), 1u);

  // 20 s asked, 3.5 s allowed: the server waits 1 s (3.5 - margin) and answers empty, in time.
  auto started = Clock::now();
  auto empty = queue->receive("jobs", {.max = 1, .visibility_timeout_s = std::nullopt, .wait_s = 20}, within(3500ms));
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  EXPECT_LT(Clock::now() - started, 3s);
}

TEST(RemoteQueue, BothTokensOfARotationWorkAndOthersAreRefused) {
  queue_api_test::ApiServer server({.api_tokens = "ops:oldT0ken-1:admin;ops:newT0ken-2:admin"});
  ASSERT_TRUE(client_of(server, "oldT0ken-1")->put_queue("a", {}, within(5s)).ok());
  ASSERT_TRUE(client_of(server, "newT0ken-2")->put_queue("b", {}, within(5s)).ok());
  auto refused = client_of(server, "wrongT0ken-3")->get_queue("a", within(5s));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unauthorized);
}

}  // namespace
}  // namespace remote_test
