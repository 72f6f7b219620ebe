// The client's codec against the server's own (queue/api/codec.h): what the client
// writes the server parses to the same values, and what the server renders the client
// reads back unchanged. Then garbage, instants and the mapping of every error code.
#include "queue/remote/wire_codec.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "queue/api/codec.h"
#include "queue/api/timestamps.h"

namespace queue::remote {
namespace {

using contract::ErrorCode;
std::string text(const boost::json::object& object) { return boost::json::serialize(object); }

TEST(WireCodec, RequestBodiesParseOnTheServerToTheSameValues) {
  contract::QueuePatch patch;
  patch.visibility_timeout_s = 5;
  patch.retention_s = 3600;
  patch.dead_letter = contract::DeadLetterPolicy{"dlq", 3};
  patch.dedup_window_s = 0;
  patch.paused = true;
  auto parsed_patch = api::parse_put_queue_body(wire::put_queue_body(patch));
  ASSERT_TRUE(parsed_patch.ok()) << parsed_patch.error().message;
  EXPECT_EQ(parsed_patch->visibility_timeout_s, 5);
  EXPECT_EQ(parsed_patch->retention_s, 3600);
  EXPECT_FALSE(parsed_patch->delay_s.has_value());
  ASSERT_TRUE(parsed_patch->dead_letter.has_value() && parsed_patch->dead_letter->has_value());
  EXPECT_EQ((**parsed_patch->dead_letter).queue, "dlq");
  EXPECT_EQ(parsed_patch->dedup_window_s, 0);
  EXPECT_EQ(parsed_patch->paused, true);
  patch = {};
  patch.dead_letter = std::optional<contract::DeadLetterPolicy>();  // null: remove the policy
  parsed_patch = api::parse_put_queue_body(wire::put_queue_body(patch));
  ASSERT_TRUE(parsed_patch.ok());
  ASSERT_TRUE(parsed_patch->dead_letter.has_value());
  EXPECT_FALSE(parsed_patch->dead_letter->has_value());

  std::vector<contract::OutgoingMessage> messages{
      {"plain \"quoted\" \xC3\xA9", std::nullopt, {}, std::nullopt, std::nullopt},
      {"full", 7, {{"k", "v"}, {"kind", "x"}}, "g1", "d1"}};
  auto sent = api::parse_send_body(wire::send_body(messages));
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->messages.size(), 2u);
  EXPECT_EQ(sent->messages[0].body, messages[0].body);
  EXPECT_FALSE(sent->messages[0].delay_s.has_value());
  EXPECT_EQ(sent->messages[1].delay_s, 7);
  EXPECT_EQ(sent->messages[1].attributes, messages[1].attributes);
  EXPECT_EQ(sent->messages[1].group_id, "g1");
  EXPECT_EQ(sent->messages[1].dedup_id, "d1");

  auto receive = api::parse_receive_body(wire::receive_body(10, 30, 20));
  ASSERT_TRUE(receive.ok());
  EXPECT_EQ(receive->max, 10);
  EXPECT_EQ(receive->visibility_timeout_s, 30);
  EXPECT_EQ(receive->wait_ms, 20'000);

  auto ack = api::parse_ack_body(wire::receipts_body({"r1", "r2"}));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack.value(), (std::vector<std::string>{"r1", "r2"}));
  auto visibility = api::parse_visibility_body(wire::visibility_body({"r1"}, 0));
  ASSERT_TRUE(visibility.ok());
  EXPECT_EQ(visibility->visibility_timeout_s, 0);
  auto redrive = api::parse_redrive_body(wire::redrive_body({"home", 50}));
  ASSERT_TRUE(redrive.ok());
  EXPECT_EQ(redrive->to, "home");
  EXPECT_EQ(redrive->max, 50);
  EXPECT_TRUE(api::parse_redrive_body(wire::redrive_body({})).ok());
  for (auto state : {contract::PeekState::visible, contract::PeekState::in_flight, contract::PeekState::delayed}) {
    EXPECT_TRUE(api::parse_peek_state(contract::to_string(state)).ok());
  }
}

TEST(WireCodec, QueueCountersAbsentFromAnOlderServerReadAsZero) {
  auto queue = wire::parse_queue_info(
      R"({"name":"q","attributes":{"visibility_timeout_s":30,"retention_s":345600,"delay_s":0,)"
      R"("max_message_bytes":262144,"dead_letter":null,"fifo":false,"dedup_window_s":300},)"
      R"("stats":{"visible":1,"in_flight":0,"delayed":0,"oldest_age_s":3},"created_at":"2024-05-01T12:00:00.250Z"})");
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  EXPECT_EQ(queue->stats.visible, 1);
  EXPECT_EQ(queue->stats.sent_total, 0);
  auto wrong = wire::parse_queue_info(
      R"({"name":"q","attributes":{"visibility_timeout_s":30,"retention_s":345600,"delay_s":0,)"
      R"("max_message_bytes":262144,"dead_letter":null,"fifo":false,"dedup_window_s":300},)"
      R"("stats":{"visible":1,"in_flight":0,"delayed":0,"oldest_age_s":3,"sent_total":"many"},)"
      R"("created_at":"2024-05-01T12:00:00.250Z"})");
  EXPECT_FALSE(wrong.ok());
}

TEST(WireCodec, ServerDocumentsReadBackUnchanged) {
  core::QueueInfo info;
  info.name = "orders.fifo";
  info.attributes.visibility_timeout_s = 12;
  info.attributes.dead_letter = core::DeadLetterPolicy{"orders-dlq.fifo", 4};
  info.attributes.fifo = true;
  info.stats = {1, 2, 3, 4, 50, 40, 30};
  info.created_at_ms = 1'714'564'800'250;
  auto queue = wire::parse_queue_info(text(api::queue_json(info)));
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  EXPECT_EQ(queue->name, info.name);
  EXPECT_EQ(queue->attributes.visibility_timeout_s, 12);
  EXPECT_EQ(queue->attributes.dead_letter, (contract::DeadLetterPolicy{"orders-dlq.fifo", 4}));
  EXPECT_TRUE(queue->attributes.fifo);
  EXPECT_EQ(queue->attributes.retention_s, info.attributes.retention_s);
  EXPECT_EQ(queue->stats.in_flight, 2);
  EXPECT_EQ(queue->stats.oldest_age_s, 4);
  EXPECT_EQ(queue->stats.sent_total, 50);
  EXPECT_EQ(queue->stats.received_total, 40);
  EXPECT_EQ(queue->stats.acked_total, 30);
  EXPECT_EQ(queue->created_at_ms, info.created_at_ms);

  auto list = wire::parse_queue_list(text(api::queue_list_json({"a", "b"}, "b")));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(list->next_cursor, "b");
  list = wire::parse_queue_list(text(api::queue_list_json({}, std::nullopt)));
  ASSERT_TRUE(list.ok());
  EXPECT_FALSE(list->next_cursor.has_value());

  auto sent = wire::parse_sent(text(api::sent_json(core::SendResult{{"1", "2"}})));
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->ids, (std::vector<std::string>{"1", "2"}));

  core::ReceivedMessage received{"9", "body", {{"k", "v"}}, "rcpt", 2, 1'000, "g"};
  auto messages = wire::parse_received(text(api::received_json({received})));
  ASSERT_TRUE(messages.ok()) << messages.error().message;
  ASSERT_EQ(messages->size(), 1u);
  const contract::ReceivedMessage& message = messages->front();
  EXPECT_EQ(message.id, "9");
  EXPECT_EQ(message.body, "body");
  EXPECT_EQ(message.attributes, received.attributes);
  EXPECT_EQ(message.receipt, "rcpt");
  EXPECT_EQ(message.receive_count, 2);
  EXPECT_EQ(message.sent_at_ms, 1'000);
  EXPECT_EQ(message.group_id, "g");

  core::PeekedMessage peeked{"9", "b", {}, 1, 5, 6'000, std::nullopt, core::PeekState::delayed};
  auto peeks = wire::parse_peek_page(text(api::peek_page_json({{peeked}, "6000.9"})), contract::PeekState::visible);
  ASSERT_TRUE(peeks.ok()) << peeks.error().message;
  EXPECT_EQ(peeks->messages.front().visible_at_ms, 6'000);
  EXPECT_EQ(peeks->messages.front().state, contract::PeekState::delayed) << "the answer's state, not the one asked";
  EXPECT_FALSE(peeks->messages.front().group_id.has_value());
  EXPECT_EQ(peeks->next_cursor, "6000.9");
  auto one = wire::parse_peeked_message(text(api::peeked_message_json(peeked)));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->id, "9");
  EXPECT_EQ(one->state, contract::PeekState::delayed);

  auto acked = wire::parse_acked(text(api::acked_json(core::AckResult{1, {{"bad", core::ErrorCode::receipt_invalid}}})));
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->acked, 1);
  ASSERT_EQ(acked->failed.size(), 1u);
  EXPECT_EQ(acked->failed[0].receipt, "bad");
  EXPECT_EQ(acked->failed[0].code, ErrorCode::receipt_invalid);
  auto updated = wire::parse_visibility(text(api::visibility_json(core::VisibilityResult{3, {}})));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->updated, 3);
  EXPECT_EQ(wire::parse_purged(text(api::purged_json(core::PurgeResult{7}))).value().purged, 7);
  EXPECT_EQ(wire::parse_redriven(text(api::redriven_json(core::RedriveResult{8}))).value().moved, 8);
}

TEST(WireCodec, AReceiveCarryingAcksRoundTrips) {
  auto parsed = api::parse_receive_body(wire::receive_body(2, std::nullopt, 0, {"r1", "r2"}));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->ack, (std::vector<std::string>{"r1", "r2"}));
  auto none = api::parse_receive_body(wire::receive_body(2, std::nullopt, 0));
  ASSERT_TRUE(none.ok()) << "no receipts, no \"ack\" (the server wants 1..100 when present)";
  EXPECT_TRUE(none->ack.empty());

  core::ReceiveResult answer{core::AckResult{1, {{"bad", core::ErrorCode::receipt_invalid}}},
                             {core::ReceivedMessage{"9", "body", {}, "rcpt", 1, 0, std::nullopt}}};
  auto received = wire::parse_received_with_acks(text(api::received_with_acks_json(answer)));
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_EQ(received->acks.acked, 1);
  ASSERT_EQ(received->acks.failed.size(), 1u);
  EXPECT_EQ(received->acks.failed[0].receipt, "bad");
  EXPECT_EQ(received->acks.failed[0].code, ErrorCode::receipt_invalid);
  ASSERT_EQ(received->messages.size(), 1u);
  EXPECT_EQ(received->messages[0].receipt, "rcpt");

  auto plain = wire::parse_received_with_acks(text(api::received_json(answer.messages)));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->acks.acked, 0);
  EXPECT_EQ(plain->messages.size(), 1u);
  EXPECT_FALSE(wire::parse_received_with_acks(R"({"messages":[],"acks":{"acked":"one","failed":[]}})").ok());
}

TEST(WireCodec, GarbageIsAnInternalErrorNamingTheField) {
  struct Case {
    std::string_view body;
    std::string_view says;
  };
  for (const Case& c : {Case{"", "not JSON"}, Case{"{\"messages\":[", "not JSON"}, Case{"[]", "an object"},
                        Case{R"({"messages":[{"id":1}]})", "messages[0].id"}, Case{R"({})", "'messages' is missing"},
                        Case{R"({"messages":[{"id":"1","body":"b","receipt":"r","receive_count":1,"sent_at":"yesterday"}]})",
                             "sent_at"},
                        Case{R"({"messages":[{"id":"1","body":"b","receipt":"r","receive_count":1e40,"sent_at":"x"}]})",
                             "receive_count"}}) {
    auto result = wire::parse_received(c.body);
    ASSERT_FALSE(result.ok()) << c.body;
    EXPECT_EQ(result.error().code, ErrorCode::internal_error);
    EXPECT_NE(result.error().message.find(c.says), std::string::npos) << result.error().message;
  }
  // A newer server's extra fields are ignored.
  EXPECT_TRUE(wire::parse_purged(R"({"purged":1,"took_ms":3})").ok());
}

TEST(WireCodec, TimestampsRoundTripWithTheServersFormat) {
  for (std::int64_t ms : {std::int64_t{0}, std::int64_t{1}, std::int64_t{1'714'564'800'250}, std::int64_t{4'102'444'799'999}}) {
    EXPECT_EQ(wire::parse_timestamp(api::format_timestamp(ms)), ms) << api::format_timestamp(ms);
  }
  EXPECT_EQ(wire::parse_timestamp("1970-01-01T00:00:01Z"), 1'000);
  EXPECT_EQ(wire::parse_timestamp("1970-01-01T00:00:00.123456Z"), 123);
  for (const char* bad : {"", "1970-01-01", "1970-01-01T00:00:00", "1970-01-01T00:00:00.Z", "1970-13-01T00:00:00Z",
                          "1970-02-30T00:00:00Z", "1970-01-01T00:00:00+01:00", "1970-01-01T00:00:00ZZ"}) {
    EXPECT_FALSE(wire::parse_timestamp(bad).has_value()) << bad;
  }
}

TEST(WireCodec, EveryErrorCodeKeepsItsCodeMessageAndRequestId) {
  for (ErrorCode code : contract::all_error_codes) {
    std::string body = R"({"error":{"code":")" + std::string(contract::to_string(code)) +
                       R"(","message":"why","request_id":"req-1"}})";
    contract::Error error = wire::parse_error(contract::http_status(code), body, "header-id", std::nullopt);
    EXPECT_EQ(error.code, code) << contract::to_string(code);
    EXPECT_EQ(error.message, "why");
    EXPECT_EQ(error.request_id, "req-1");
  }
  contract::Error unavailable = wire::parse_error(
      503, R"({"error":{"code":"unavailable","message":"starting"}})", "hdr", std::chrono::seconds(2));
  EXPECT_EQ(unavailable.request_id, "hdr");  // from X-Request-ID when the body has none
  EXPECT_EQ(unavailable.retry_after, std::chrono::seconds(2));
  EXPECT_TRUE(unavailable.transient());
}

TEST(WireCodec, UnknownCodesAndForeignBodiesAreMappedByStatus) {
  EXPECT_EQ(wire::parse_error(404, R"({"error":{"code":"teapot","message":"m"}})", "", {}).code, ErrorCode::not_found);
  EXPECT_EQ(wire::parse_error(418, "", "", {}).code, ErrorCode::invalid_request);
  EXPECT_EQ(wire::parse_error(500, "<html>oops</html>", "", {}).code, ErrorCode::internal_error);
  EXPECT_EQ(wire::parse_error(599, "", "", {}).code, ErrorCode::internal_error);
  contract::Error gateway = wire::parse_error(502, "<html>Bad Gateway</html>", "", {});
  EXPECT_EQ(gateway.code, ErrorCode::unavailable);
  EXPECT_NE(gateway.message.find("Bad Gateway"), std::string::npos);
  EXPECT_EQ(wire::parse_error(504, "", "", {}).code, ErrorCode::unavailable);
  // Raptor's own format, e.g. FLAG_QUEUE_V1=0.
  contract::Error raptor = wire::parse_error(
      404, R"({"status":"error","error":{"type":"not_found","detail":"no route"},"request_id":"r9"})", "", {});
  EXPECT_EQ(raptor.code, ErrorCode::not_found);
  EXPECT_EQ(raptor.message, "no route");
  EXPECT_EQ(raptor.request_id, "r9");

  EXPECT_EQ(wire::parse_retry_after("3"), std::chrono::seconds(3));
  EXPECT_EQ(wire::parse_retry_after(" 0 "), std::chrono::seconds(0));
  EXPECT_FALSE(wire::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
  EXPECT_FALSE(wire::parse_retry_after("-1").has_value());
  EXPECT_FALSE(wire::parse_retry_after("").has_value());
}

}  // namespace
}  // namespace queue::remote
