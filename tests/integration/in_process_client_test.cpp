// queue/in_process: the contract's calls straight into a QueueService (SQLite in
// memory, a ManualClock). Round trips, the HTTP API's error codes for the same bad
// input, `unavailable` without a service, deadlines (a passed one, a long poll cut
// to fit one) and stop tokens. Time is injected: nothing here sleeps for logic.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "queue/contract/client.h"
#include "queue/core/clock.h"
#include "queue/core/service.h"
#include "queue/in_process/client.h"
#include "queue/storage/open.h"

namespace {

namespace contract = queue::contract;
namespace core = queue::core;
using namespace std::chrono_literals;
using contract::ErrorCode;

constexpr auto answer_timeout = 10s;

// Collects one async answer; every wait is bounded so a lost callback fails the test.
template <typename T>
struct Answer {
  std::shared_ptr<std::promise<contract::Result<T>>> promise = std::make_shared<std::promise<contract::Result<T>>>();
  std::shared_future<contract::Result<T>> future = promise->get_future().share();
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);

  contract::Callback<T> callback() {
    return [promise = promise, calls = calls](contract::Result<T> result) {
      if (calls->fetch_add(1) == 0) promise->set_value(std::move(result));
    };
  }
  bool ready() const { return future.wait_for(0s) == std::future_status::ready; }
  contract::Result<T> get() const {
    if (future.wait_for(answer_timeout) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within the timeout";
      return contract::Error{ErrorCode::internal_error, "test timeout", {}, std::nullopt};
    }
    return future.get();
  }
};

// GCC warns (-Wmissing-field-initializers) on designated initializers that leave
// fields out, so requests are built field by field.
contract::OutgoingMessage message(std::string body, contract::MessageAttributes attributes = {},
                                  std::optional<std::string> group_id = std::nullopt) {
  contract::OutgoingMessage built;
  built.body = std::move(body);
  built.attributes = std::move(attributes);
  built.group_id = std::move(group_id);
  return built;
}

contract::ReceiveRequest receive_request(int max = 1, std::optional<int> visibility_timeout_s = std::nullopt,
                                         int wait_s = 0) {
  contract::ReceiveRequest request;
  request.max = max;
  request.visibility_timeout_s = visibility_timeout_s;
  request.wait_s = wait_s;
  return request;
}

contract::ReceiveRequest long_poll(int wait_s) { return receive_request(1, std::nullopt, wait_s); }

contract::ListQueuesRequest list_limit(int limit) {
  contract::ListQueuesRequest request;
  request.limit = limit;
  return request;
}

contract::PeekRequest peek_request(int limit, contract::PeekState state = contract::PeekState::visible) {
  contract::PeekRequest request;
  request.state = state;
  request.limit = limit;
  return request;
}

contract::RedriveRequest redrive_max(std::int64_t max) {
  contract::RedriveRequest request;
  request.max = max;
  return request;
}

template <typename Set>
contract::QueuePatch patch(Set set) {
  contract::QueuePatch built;
  set(built);
  return built;
}

class InProcessClientTest : public ::testing::Test {
 protected:
  InProcessClientTest() {
    queue::storage::StoreOptions options;
    options.database_url = "sqlite::memory:";
    options.durability = queue::storage::Durability::os;
    service_ = std::make_shared<core::QueueService>(queue::storage::open_stores(options), clock_);
    service_->start();
    queue::in_process::ServiceSource source;
    source.service = [this] { return available_ ? service_ : nullptr; };
    source.unavailable = [] { return queue::in_process::Unavailable{7s, "Queue is starting; try again shortly"}; };
    client_ = std::make_shared<queue::in_process::InProcessClient>(std::move(source), [this] { return now_; });
  }
  ~InProcessClientTest() override { service_->shutdown(); }

  contract::CallOptions within(std::chrono::milliseconds timeout, std::stop_token stop = {}) const {
    return contract::CallOptions{now_ + timeout, std::move(stop)};
  }
  contract::CallOptions call() const { return within(10s); }

  void create(const std::string& name, contract::QueuePatch patch = {}) {
    auto created = client_->put_queue(name, std::move(patch), call());
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  // Long polls parked in the service right now (a round trip through the engine).
  std::size_t parked() {
    std::promise<std::size_t> count;
    service_->check_health([&](core::Result<core::Health> health) { count.set_value(health->parked_receives); });
    return count.get_future().get();
  }
  void advance(std::chrono::milliseconds by) {
    clock_->advance(by.count());
    service_->nudge();
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<core::QueueService> service_;
  std::atomic<bool> available_{true};
  contract::Deadline now_ = std::chrono::steady_clock::time_point{} + 1000h;  // the client's "now"
  std::shared_ptr<contract::QueueClient> client_;
};

ErrorCode code_of(const auto& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? ErrorCode::internal_error : result.error().code;
}

TEST_F(InProcessClientTest, SaysItIsInProcess) { EXPECT_EQ(client_->transport(), "in_process"); }

TEST_F(InProcessClientTest, SendReceiveAckRoundTrip) {
  auto created = client_->put_queue("jobs", {}, call());
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->queue.name, "jobs");
  EXPECT_EQ(created->queue.attributes.visibility_timeout_s, 30);

  auto sent = client_->send("jobs", {message("hello", {{"kind", "greeting"}}), message("world")},
                            call());
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->ids.size(), 2u);

  auto info = client_->get_queue("jobs", call());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->stats.visible, 2);

  auto received = client_->receive("jobs", receive_request(10), call());
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 2u);
  EXPECT_EQ(received.value()[0].id, sent->ids[0]);
  EXPECT_EQ(received.value()[0].body, "hello");
  EXPECT_EQ(received.value()[0].attributes.at("kind"), "greeting");
  EXPECT_EQ(received.value()[0].receive_count, 1);
  EXPECT_EQ(received.value()[0].sent_at_ms, clock_->now_ms());

  auto acked = client_->ack("jobs", {received.value()[0].receipt, "bogus"}, call());
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->acked, 1);
  ASSERT_EQ(acked->failed.size(), 1u);
  EXPECT_EQ(acked->failed[0].receipt, "bogus");
  EXPECT_EQ(acked->failed[0].code, ErrorCode::receipt_invalid);  // per receipt, as the HTTP API says

  auto released = client_->change_visibility("jobs", {received.value()[1].receipt}, 0, call());
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->updated, 1);
  auto peeked = client_->peek("jobs", peek_request(10), call());
  ASSERT_TRUE(peeked.ok());
  ASSERT_EQ(peeked->messages.size(), 1u);
  EXPECT_EQ(peeked->messages[0].body, "world");

  auto purged = client_->purge("jobs", call());
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->purged, 1);
  auto listed = client_->list_queues({}, call());
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->names, std::vector<std::string>{"jobs"});
  EXPECT_TRUE(client_->delete_queue("jobs", call()).ok());
  EXPECT_EQ(code_of(client_->get_queue("jobs", call())), ErrorCode::queue_not_found);
}

TEST_F(InProcessClientTest, DeadLettersRedriveAndTheDeadLetterQueueCannotBeDeleted) {
  create("work-dlq");
  create("work", patch([](auto& p) { p.dead_letter = std::optional<contract::DeadLetterPolicy>({"work-dlq", 1}); }));
  ASSERT_TRUE(client_->send("work", {message("doomed")}, call()).ok());
  for (int delivery = 0; delivery < 2; ++delivery) {
    auto received = client_->receive("work", receive_request(1, 0), call());
    ASSERT_TRUE(received.ok());
  }
  EXPECT_EQ(client_->get_queue("work-dlq", call())->stats.visible, 1);
  EXPECT_EQ(code_of(client_->delete_queue("work-dlq", call())), ErrorCode::conflict);

  auto moved = client_->redrive("work-dlq", {}, call());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->moved, 1);
  EXPECT_EQ(client_->get_queue("work", call())->stats.visible, 1);
}

// The same bad input answers the same code as over HTTP (tests/queue_api covers those).
TEST_F(InProcessClientTest, BadInputAnswersTheHttpApisCodes) {
  create("jobs");
  auto invalid = [&](const auto& result) { return code_of(result) == ErrorCode::invalid_request; };

  EXPECT_TRUE(invalid(client_->put_queue("bad name!", {}, call())));
  EXPECT_TRUE(invalid(client_->put_queue("q", patch([](auto& p) { p.visibility_timeout_s = 43'201; }), call())));
  EXPECT_TRUE(invalid(client_->put_queue("q", patch([](auto& p) { p.fifo = true; }), call())));
  EXPECT_TRUE(invalid(client_->list_queues(list_limit(0), call())));
  EXPECT_TRUE(invalid(client_->list_queues(list_limit(1'001), call())));
  EXPECT_TRUE(invalid(client_->send("jobs", {}, call())));
  EXPECT_TRUE(invalid(client_->send("jobs", std::vector<contract::OutgoingMessage>(101, message("x")), call())));
  EXPECT_TRUE(invalid(client_->send("jobs", {message("x", {}, "g")}, call())));  // not a FIFO queue
  EXPECT_TRUE(invalid(client_->receive("jobs", receive_request(0), call())));
  EXPECT_TRUE(invalid(client_->receive("jobs", receive_request(101), call())));
  EXPECT_TRUE(invalid(client_->receive("jobs", receive_request(1, 43'201), call())));
  EXPECT_TRUE(invalid(client_->receive("jobs", long_poll(-1), call())));
  EXPECT_TRUE(invalid(client_->receive("jobs", long_poll(21), call())));
  // Checked before the deadline shortens the wait: 2 s left does not make 25 s valid.
  EXPECT_TRUE(invalid(client_->receive("jobs", long_poll(25), within(2s))));
  EXPECT_TRUE(invalid(client_->ack("jobs", {}, call())));
  EXPECT_TRUE(invalid(client_->ack("jobs", std::vector<std::string>(101, "r"), call())));
  EXPECT_TRUE(invalid(client_->change_visibility("jobs", {"r"}, 43'201, call())));
  EXPECT_TRUE(invalid(client_->change_visibility("jobs", {"r"}, -1, call())));
  EXPECT_TRUE(invalid(client_->peek("jobs", peek_request(0), call())));
  EXPECT_TRUE(invalid(client_->peek("jobs", peek_request(101), call())));
  EXPECT_TRUE(invalid(client_->peek("jobs", peek_request(10, static_cast<contract::PeekState>(7)), call())));
  EXPECT_TRUE(invalid(client_->redrive("jobs", redrive_max(0), call())));
  EXPECT_TRUE(invalid(client_->redrive("jobs", redrive_max(10'001), call())));

  EXPECT_EQ(code_of(client_->send("jobs", {message(std::string(1'048'577, 'x'))}, call())),
            ErrorCode::payload_too_large);
  EXPECT_EQ(code_of(client_->send("nope", {message("x")}, call())), ErrorCode::queue_not_found);
  create("jobs.fifo");
  EXPECT_EQ(code_of(client_->put_queue("jobs.fifo", patch([](auto& p) { p.fifo = false; }), call())), ErrorCode::conflict);
}

TEST_F(InProcessClientTest, WithoutAServiceEveryCallIsUnavailableWithRetryAfter) {
  available_ = false;
  auto sent = client_->send("jobs", {message("x")}, call());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_EQ(sent.error().retry_after, 7s);
  EXPECT_EQ(sent.error().message, "Queue is starting; try again shortly");
  EXPECT_TRUE(sent.error().transient());
  EXPECT_EQ(code_of(client_->receive("jobs", long_poll(20), call())), ErrorCode::unavailable);
  EXPECT_EQ(code_of(client_->list_queues({}, call())), ErrorCode::unavailable);

  available_ = true;  // the storage opened
  EXPECT_TRUE(client_->list_queues({}, call()).ok());
}

TEST_F(InProcessClientTest, TheServicesOwnUnavailableCarriesRetryAfterToo) {
  service_->shutdown();
  auto listed = client_->list_queues({}, call());
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, ErrorCode::unavailable);
  EXPECT_EQ(listed.error().retry_after, 1s);  // the HTTP API's Retry-After: 1
}

TEST_F(InProcessClientTest, APassedDeadlineIsNeverCalled) {
  auto created = client_->put_queue("late", {}, within(-1ms));
  EXPECT_EQ(code_of(created), ErrorCode::deadline_exceeded);
  EXPECT_EQ(code_of(client_->list_queues({}, within(0ms))), ErrorCode::deadline_exceeded);
  EXPECT_EQ(code_of(client_->get_queue("late", call())), ErrorCode::queue_not_found);  // nothing happened
}

TEST_F(InProcessClientTest, ALongPollEndsAtTheDeadlineWhenThatComesFirst) {
  create("jobs");
  Answer<std::vector<contract::ReceivedMessage>> answer;
  client_->async_receive("jobs", long_poll(20), within(1'500ms), answer.callback());
  EXPECT_EQ(parked(), 1u);
  advance(1'499ms);
  EXPECT_EQ(parked(), 1u);
  EXPECT_FALSE(answer.ready());
  advance(1ms);  // 1.5 s in: the deadline, far before wait_s
  auto received = answer.get();
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
  EXPECT_EQ(parked(), 0u);
}

TEST_F(InProcessClientTest, ALongPollWaitsItsWaitWhenTheDeadlineIsLater) {
  create("jobs");
  Answer<std::vector<contract::ReceivedMessage>> answer;
  client_->async_receive("jobs", long_poll(2), within(60s), answer.callback());
  advance(1'999ms);
  EXPECT_EQ(parked(), 1u);
  ASSERT_TRUE(client_->send("jobs", {message("wake up")}, call()).ok());
  auto received = answer.get();
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received.value()[0].body, "wake up");
}

TEST_F(InProcessClientTest, StopCancelsAParkedReceiveOnce) {
  create("jobs");
  std::stop_source stop;
  Answer<std::vector<contract::ReceivedMessage>> answer;
  client_->async_receive("jobs", long_poll(20), within(60s, stop.get_token()), answer.callback());
  EXPECT_EQ(parked(), 1u);
  EXPECT_FALSE(answer.ready());

  stop.request_stop();  // no clock moves: the stop alone answers it
  auto received = answer.get();
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
  EXPECT_EQ(parked(), 0u);

  // A message sent now stays for the next consumer: the cancelled poll took nothing.
  ASSERT_TRUE(client_->send("jobs", {message("next")}, call()).ok());
  EXPECT_EQ(client_->get_queue("jobs", call())->stats.visible, 1);
  EXPECT_EQ(*answer.calls, 1);
}

TEST_F(InProcessClientTest, AStopRequestedBeforeTheCallAnswersAtOnce) {
  create("jobs");
  std::stop_source stop;
  stop.request_stop();
  auto received = client_->receive("jobs", long_poll(20), within(60s, stop.get_token()));
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
  EXPECT_EQ(parked(), 0u);
}

TEST_F(InProcessClientTest, AStopAfterTheAnswerChangesNothing) {
  create("jobs");
  ASSERT_TRUE(client_->send("jobs", {message("ready")}, call()).ok());
  std::stop_source stop;
  Answer<std::vector<contract::ReceivedMessage>> answer;
  client_->async_receive("jobs", long_poll(20), within(60s, stop.get_token()), answer.callback());
  auto received = answer.get();
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  stop.request_stop();
  EXPECT_EQ(*answer.calls, 1);
  EXPECT_EQ(client_->get_queue("jobs", call())->stats.in_flight, 1);  // the lease stands
}

TEST_F(InProcessClientTest, ManyStoppedPollsAnswerExactlyOnceEach) {
  create("jobs");
  std::vector<std::stop_source> stops(32);
  std::vector<Answer<std::vector<contract::ReceivedMessage>>> answers(stops.size());
  for (std::size_t i = 0; i < stops.size(); ++i) {
    client_->async_receive("jobs", long_poll(20), within(60s, stops[i].get_token()), answers[i].callback());
  }
  std::thread stopper([&] {
    for (auto& stop : stops) stop.request_stop();
  });
  stopper.join();
  for (auto& answer : answers) {
    auto received = answer.get();
    ASSERT_TRUE(received.ok());
    EXPECT_TRUE(received->empty());
  }
  EXPECT_EQ(parked(), 0u);
  for (auto& answer : answers) EXPECT_EQ(*answer.calls, 1);
}

}  // namespace
