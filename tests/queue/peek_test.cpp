// Peeking (every engine): pages that walk a state once, in order, however the queue
// changes between them; one message found by id, in any state; nothing changed by looking.
#include <set>

#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(Peek);

std::vector<std::string> ids_of(const std::vector<PeekedMessage>& messages) {
  std::vector<std::string> ids;
  for (const auto& m : messages) ids.push_back(m.id);
  return ids;
}

// Every page of `state`, `limit` at a time, as a client would follow next_cursor.
std::vector<PeekedMessage> walk(ServiceHarness& h, PeekState state, int limit, int* pages = nullptr) {
  std::vector<PeekedMessage> all;
  std::string cursor;
  for (int page = 1;; ++page) {
    auto got = h.peek_page("q", state, limit, cursor);
    EXPECT_TRUE(got.ok()) << got.error().message;
    if (!got.ok()) return all;
    EXPECT_LE(got.value().messages.size(), static_cast<std::size_t>(limit));
    for (auto& m : got.value().messages) all.push_back(std::move(m));
    if (pages) *pages = page;
    if (!got.value().next_cursor) return all;
    cursor = *got.value().next_cursor;
  }
}

TEST_P(Peek, PagesWalkTheVisibleMessagesOnceInSendOrder) {
  ServiceHarness h;
  h.create("q");
  std::vector<std::string> sent;
  for (int i = 0; i < 25; ++i) {
    sent.push_back(h.send_one("q", "m" + std::to_string(i)));
    h.advance_ms(i % 3 == 0 ? 1 : 0);  // some share a millisecond: the id breaks the tie
  }
  int pages = 0;
  auto all = walk(h, PeekState::visible, 10, &pages);
  EXPECT_EQ(ids_of(all), sent);
  EXPECT_EQ(pages, 3);
  for (const auto& m : all) EXPECT_EQ(m.state, PeekState::visible);
  // An exact multiple of the page ends without an empty page after it.
  h.send_one("q", "26th");
  h.receive_ok("q", 6);
  EXPECT_EQ(walk(h, PeekState::visible, 10, &pages).size(), 20u);
  EXPECT_EQ(pages, 2);
}

TEST_P(Peek, PagesWalkInFlightAndDelayedByTheTimeTheyBecomeVisible) {
  ServiceHarness h;
  h.create("q");
  for (int i = 0; i < 7; ++i) {
    OutgoingMessage later = message("d" + std::to_string(i));
    later.delay_s = 100 - i * 10;  // sent first, visible last
    h.send("q", {later});
  }
  auto delayed = walk(h, PeekState::delayed, 3);
  ASSERT_EQ(delayed.size(), 7u);
  for (std::size_t i = 0; i < delayed.size(); ++i) {
    EXPECT_EQ(delayed[i].body, "d" + std::to_string(6 - i));
    EXPECT_EQ(delayed[i].state, PeekState::delayed);
  }

  for (int i = 0; i < 5; ++i) h.send_one("q", "f" + std::to_string(i));
  for (int i = 0; i < 5; ++i) h.receive_ok("q", 1, 50 - i * 5);  // leased first, expires last
  auto in_flight = walk(h, PeekState::in_flight, 2);
  ASSERT_EQ(in_flight.size(), 5u);
  for (std::size_t i = 0; i < in_flight.size(); ++i) {
    EXPECT_EQ(in_flight[i].body, "f" + std::to_string(4 - i));
    EXPECT_EQ(in_flight[i].state, PeekState::in_flight);
  }
}

TEST_P(Peek, MessagesAckedBetweenPagesDoNotBreakTheWalk) {
  ServiceHarness h;
  h.create("q");
  for (int i = 0; i < 9; ++i) h.send_one("q", std::to_string(i));
  auto first = h.peek_page("q", PeekState::visible, 4).value();
  ASSERT_TRUE(first.next_cursor);
  // The page's last message and the next page's first are gone before it is asked for.
  auto leased = h.receive_ok("q", 5);
  ASSERT_EQ(h.ack("q", {leased[3].receipt, leased[4].receipt}).value().acked, 2);
  auto second = h.peek_page("q", PeekState::visible, 4, *first.next_cursor).value();
  std::vector<std::string> bodies_seen;
  for (const auto& m : second.messages) bodies_seen.push_back(m.body);
  EXPECT_EQ(bodies_seen, (std::vector<std::string>{"5", "6", "7", "8"}));
}

TEST_P(Peek, ACursorNotFromAPeekIsABadRequest) {
  ServiceHarness h;
  h.create("q");
  for (const char* cursor : {"x", "1", ".", "1.", ".5", "-1.5", "1.0", "1.5x", "99999999999999999999.1"}) {
    auto got = h.peek_page("q", PeekState::visible, 10, cursor);
    ASSERT_FALSE(got.ok()) << cursor;
    EXPECT_EQ(got.error().code, ErrorCode::invalid_request) << cursor;
  }
}

TEST_P(Peek, GetMessageShowsItInEachStateWithoutChangingIt) {
  ServiceHarness h;
  h.create("q");
  const std::string id = h.send_one("q", "look at me");
  auto found = h.get_message("q", id);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found.value().body, "look at me");
  EXPECT_EQ(found.value().state, PeekState::visible);
  EXPECT_EQ(found.value().receive_count, 0);

  auto leased = h.receive_ok("q", 1, 30);
  ASSERT_EQ(leased.size(), 1u);
  found = h.get_message("q", id);
  EXPECT_EQ(found.value().state, PeekState::in_flight);
  EXPECT_EQ(found.value().receive_count, 1);
  EXPECT_EQ(h.get_message("q", id).value().receive_count, 1);  // looking twice bumps nothing

  h.change_visibility("q", {leased[0].receipt}, 0);
  EXPECT_EQ(h.get_message("q", id).value().state, PeekState::visible);

  OutgoingMessage later = message("later");
  later.delay_s = 60;
  const std::string delayed_id = h.send("q", {later}).value().ids.at(0);
  EXPECT_EQ(h.get_message("q", delayed_id).value().state, PeekState::delayed);
  EXPECT_EQ(h.stats("q").visible, 1);
  EXPECT_EQ(h.stats("q").delayed, 1);
}

TEST_P(Peek, GetMessageAnswersNotFoundOnceItIsGoneOrInAnotherQueue) {
  ServiceHarness h;
  h.create("q");
  h.create("other");
  const std::string id = h.send_one("q", "x");
  auto elsewhere = h.get_message("other", id);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::message_not_found);

  auto leased = h.receive_ok("q");
  ASSERT_EQ(h.ack("q", {leased[0].receipt}).value().acked, 1);
  auto acked = h.get_message("q", id);
  ASSERT_FALSE(acked.ok());
  EXPECT_EQ(acked.error().code, ErrorCode::message_not_found);

  for (const char* bad : {"", "abc", "0", "-3", "12x"}) {
    auto got = h.get_message("q", bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().code, ErrorCode::invalid_request) << bad;
  }
  auto missing_queue = h.get_message("missing", id);
  ASSERT_FALSE(missing_queue.ok());
  EXPECT_EQ(missing_queue.error().code, ErrorCode::queue_not_found);
}

}  // namespace
}  // namespace queue::testing
