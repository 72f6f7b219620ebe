// The wire format without HTTP: strict parsing (every problem a 400 naming the
// field, never an exception) and the documents the routes answer with.
#include "queue/api/codec.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "queue/api/timestamps.h"

namespace queue::api {
namespace {

using core::ErrorCode;

// The error of a failed parse, for assertions on its code and message.
template <typename T>
core::Error error_of(const core::Result<T>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? core::Error{} : result.error();
}

void expect_invalid(const core::Error& error, std::string_view mentions) {
  EXPECT_EQ(error.code, ErrorCode::invalid_request) << error.message;
  EXPECT_NE(error.message.find(mentions), std::string::npos) << "'" << error.message << "' lacks '" << mentions << "'";
}

TEST(Timestamps, AreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_timestamp(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(ParseSend, ReadsEveryField) {
  auto parsed = parse_send_body(R"({"messages":[
      {"body":"a"},
      {"body":"b","delay_s":5,"attributes":{"k":"v"},"group_id":"g1","dedup_id":"d1"}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->messages.size(), 2u);
  EXPECT_EQ(parsed->messages[0].body, "a");
  EXPECT_FALSE(parsed->messages[0].delay_s);
  EXPECT_FALSE(parsed->messages[0].group_id);
  const core::OutgoingMessage& b = parsed->messages[1];
  EXPECT_EQ(b.body, "b");
  EXPECT_EQ(b.delay_s, 5);
  EXPECT_EQ(b.attributes.at("k"), "v");
  EXPECT_EQ(b.group_id, "g1");
  EXPECT_EQ(b.dedup_id, "d1");
}

TEST(ParseSend, KeepsBytesThatLookLikeTerminators) {
  auto parsed = parse_send_body(R"({"messages":[{"body":"a\u0000b\u00e9"}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->messages[0].body, std::string("a\0b\xc3\xa9", 5));
}

TEST(ParseSend, RefusesBadDocumentsNamingTheProblem) {
  struct Case {
    const char* body;
    const char* mentions;
  };
  const Case cases[] = {
      {"", "empty body"},
      {"not json", "not valid JSON"},
      {"[]", "must be a JSON object, got an array"},
      {"\"text\"", "must be a JSON object, got a string"},
      {"{\"messages\":[{\"body\":\"\xff\"}]}", "not valid JSON"},
      {R"({"messages":[{"body":"\ud800"}]})", "not valid JSON"},
      {R"({})", "messages is required"},
      {R"({"messages":{}})", "messages must be an array, got an object"},
      {R"({"messages":[]})", "messages must hold 1 to 100 messages, got 0"},
      {R"({"messages":[{"body":"a"}],"extra":1})", "request body has unknown field \"extra\""},
      {R"({"messages":[5]})", "messages[0] must be an object, got a number"},
      {R"({"messages":[{}]})", "messages[0].body is required"},
      {R"({"messages":[{"body":7}]})", "messages[0].body must be a string, got a number"},
      {R"({"messages":[{"body":null}]})", "messages[0].body must be a string, got null"},
      {R"({"messages":[{"body":"a"},{"body":"b","bdy":"c"}]})", "messages[1] has unknown field \"bdy\""},
      {R"({"messages":[{"body":"a","delay_s":901}]})", "messages[0].delay_s must be an integer from 0 to 900, got 901"},
      {R"({"messages":[{"body":"a","delay_s":-1}]})", "messages[0].delay_s must be an integer from 0 to 900"},
      {R"({"messages":[{"body":"a","delay_s":1.5}]})", "messages[0].delay_s must be an integer from 0 to 900, got a number"},
      {R"({"messages":[{"body":"a","delay_s":5.0}]})", "messages[0].delay_s must be an integer"},
      {R"({"messages":[{"body":"a","delay_s":99999999999999999999}]})", "messages[0].delay_s must be an integer"},
      {R"({"messages":[{"body":"a","delay_s":18446744073709551615}]})", "messages[0].delay_s must be an integer from 0 to 900"},
      {R"({"messages":[{"body":"a","delay_s":1e400}]})", "messages[0].delay_s must be an integer"},
      {R"({"messages":[{"body":"a","delay_s":"5"}]})", "messages[0].delay_s must be an integer from 0 to 900, got a string"},
      {R"({"messages":[{"body":"a","attributes":[]}]})", "messages[0].attributes must be an object, got an array"},
      {R"({"messages":[{"body":"a","attributes":{"k":1}}]})", "messages[0].attributes values must be strings"},
      {R"({"messages":[{"body":"a","attributes":{"":"v"}}]})", "messages[0].attributes keys must be 1 to 256 bytes"},
      {R"({"messages":[{"body":"a","group_id":""}]})", "messages[0].group_id must be 1 to 128"},
      {R"({"messages":[{"body":"a","dedup_id":"has space"}]})", "messages[0].dedup_id must be 1 to 128"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    expect_invalid(error_of(parse_send_body(c.body)), c.mentions);
  }
}

// Found by fuzz_send_body: the unknown key's name is shortened for the message,
// and the cut must not split a UTF-8 character (the message ends up in a JSON body).
TEST(ParseSend, ShortensLongUnknownKeysOnCharacterBoundaries) {
  std::string body = "{\"" + std::string(58, 'a') + "\xC3\xA9" + "bbbbbb\":1}";
  core::Error error = error_of(parse_send_body(body));
  expect_invalid(error, "unknown field");
  boost::system::error_code ec;
  boost::json::parse(boost::json::serialize(boost::json::value(error.message)), ec);
  EXPECT_FALSE(ec) << "message is not valid UTF-8: " << error.message;
  EXPECT_NE(error.message.find("aaaa"), std::string::npos);
}

TEST(ParseSend, RefusesMoreThanAHundredMessagesBeforeReadingThem) {
  std::string body = R"({"messages":[)";
  for (int i = 0; i < 101; ++i) body += std::string(i ? "," : "") + "0";  // not even messages
  body += "]}";
  expect_invalid(error_of(parse_send_body(body)), "messages must hold 1 to 100 messages, got 101");
}

TEST(ParseSend, RefusesMoreThanFiftyAttributes) {
  std::string attributes;
  for (int i = 0; i < 51; ++i) attributes += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":\"v\"";
  expect_invalid(error_of(parse_send_body(R"({"messages":[{"body":"a","attributes":{)" + attributes + "}}]}")),
                 "messages[0].attributes may hold at most 50 entries");
}

TEST(ParseSend, AMessageAboveTheLargestQueueLimitIsPayloadTooLarge) {
  std::string body = R"({"messages":[{"body":")" + std::string(core::limits::max_message_bytes_max + 1, 'x') + "\"}]}";
  core::Error error = error_of(parse_send_body(body));
  EXPECT_EQ(error.code, ErrorCode::payload_too_large) << error.message;
}

TEST(ParseSend, DeepNestingIsAnErrorNotACrash) {
  std::string deep = R"({"messages":[{"body":"a","attributes":)" + std::string(10'000, '[') +
                     std::string(10'000, ']') + "}]}";
  expect_invalid(error_of(parse_send_body(deep)), "not valid JSON");
}

TEST(ParsePutQueue, AnEmptyBodyChangesNothing) {
  for (const char* body : {"", "{}"}) {
    auto patch = parse_put_queue_body(body);
    ASSERT_TRUE(patch.ok()) << patch.error().message;
    EXPECT_FALSE(patch->visibility_timeout_s || patch->retention_s || patch->delay_s || patch->max_message_bytes ||
                 patch->dead_letter || patch->fifo || patch->dedup_window_s || patch->paused);
  }
}

TEST(ParsePutQueue, ReadsEveryAttribute) {
  auto patch = parse_put_queue_body(R"({"visibility_timeout_s":10,"retention_s":60,"delay_s":3,
      "max_message_bytes":1024,"dead_letter":{"queue":"dlq","max_receives":4},"fifo":false,"dedup_window_s":0,
      "paused":true})");
  ASSERT_TRUE(patch.ok()) << patch.error().message;
  EXPECT_EQ(patch->visibility_timeout_s, 10);
  EXPECT_EQ(patch->retention_s, 60);
  EXPECT_EQ(patch->delay_s, 3);
  EXPECT_EQ(patch->max_message_bytes, 1024);
  ASSERT_TRUE(patch->dead_letter && *patch->dead_letter);
  EXPECT_EQ((**patch->dead_letter), (core::DeadLetterPolicy{"dlq", 4}));
  EXPECT_EQ(patch->fifo, false);
  EXPECT_EQ(patch->dedup_window_s, 0);
  EXPECT_EQ(patch->paused, true);
}

TEST(ParsePutQueue, NullDeadLetterRemovesThePolicy) {
  auto patch = parse_put_queue_body(R"({"dead_letter":null})");
  ASSERT_TRUE(patch.ok()) << patch.error().message;
  ASSERT_TRUE(patch->dead_letter.has_value());
  EXPECT_FALSE(patch->dead_letter->has_value());
}

TEST(ParsePutQueue, RefusesBadAttributesNamingThem) {
  struct Case {
    const char* body;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"visiblity_timeout_s":10})", "unknown field \"visiblity_timeout_s\""},
      {R"({"visibility_timeout_s":43201})", "visibility_timeout_s must be an integer from 0 to 43200"},
      {R"({"retention_s":59})", "retention_s must be an integer from 60 to 1209600"},
      {R"({"delay_s":true})", "delay_s must be an integer from 0 to 900, got a boolean"},
      {R"({"max_message_bytes":0})", "max_message_bytes must be an integer from 1 to 1048576"},
      {R"({"dedup_window_s":86401})", "dedup_window_s must be an integer from 0 to 86400"},
      {R"({"fifo":"yes"})", "fifo must be a boolean, got a string"},
      {R"({"paused":1})", "paused must be a boolean, got a number"},
      {R"({"dead_letter":"dlq"})", "dead_letter must be an object, got a string"},
      {R"({"dead_letter":{"queue":"dlq"}})", "dead_letter.max_receives is required"},
      {R"({"dead_letter":{"max_receives":3}})", "dead_letter.queue is required"},
      {R"({"dead_letter":{"queue":"dlq","max_receives":0}})", "dead_letter.max_receives must be an integer from 1 to 1000"},
      {R"({"dead_letter":{"queue":"dlq","max_receives":3,"x":1}})", "dead_letter has unknown field \"x\""},
      {"[1]", "must be a JSON object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    expect_invalid(error_of(parse_put_queue_body(c.body)), c.mentions);
  }
}

TEST(ParseReceive, DefaultsAndConversions) {
  auto defaults = parse_receive_body("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max, 1);
  EXPECT_FALSE(defaults->visibility_timeout_s);
  EXPECT_EQ(defaults->wait_ms, 0);

  auto options = parse_receive_body(R"({"max":100,"visibility_timeout_s":0,"wait_s":20})");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->max, 100);
  EXPECT_EQ(options->visibility_timeout_s, 0);
  EXPECT_EQ(options->wait_ms, 20'000);
}

TEST(ParseReceive, RefusesOutOfRangeValues) {
  expect_invalid(error_of(parse_receive_body(R"({"max":0})")), "max must be an integer from 1 to 100");
  expect_invalid(error_of(parse_receive_body(R"({"max":101})")), "max must be an integer from 1 to 100");
  expect_invalid(error_of(parse_receive_body(R"({"wait_s":21})")), "wait_s must be an integer from 0 to 20");
  expect_invalid(error_of(parse_receive_body(R"({"visibility_timeout_s":-1})")), "visibility_timeout_s");
  expect_invalid(error_of(parse_receive_body(R"({"wait":5})")), "unknown field \"wait\"");
}

TEST(ParseReceive, AckHoldsReceiptsAsTheAckRouteReadsThem) {
  auto acking = parse_receive_body(R"({"max":2,"ack":["a","not a receipt"]})");
  ASSERT_TRUE(acking.ok()) << acking.error().message;
  EXPECT_EQ(acking->ack, (std::vector<std::string>{"a", "not a receipt"}));  // malformed: answered per receipt
  EXPECT_TRUE(parse_receive_body("{}")->ack.empty());

  std::string too_many = R"({"ack":[)";
  for (int i = 0; i < 101; ++i) too_many += i == 0 ? R"("r")" : R"(,"r")";
  expect_invalid(error_of(parse_receive_body(too_many + "]}")), "ack must hold 1 to 100 receipts, got 101");
  expect_invalid(error_of(parse_receive_body(R"({"ack":[]})")), "ack must hold 1 to 100 receipts, got 0");
  expect_invalid(error_of(parse_receive_body(R"({"ack":["a",3]})")), "ack[1] must be a string, got a number");
  expect_invalid(error_of(parse_receive_body(R"({"ack":"a"})")), "ack must be an array");
}

TEST(ParseReceipts, AckAndVisibilityBodies) {
  auto receipts = parse_ack_body(R"({"receipts":["a","b"]})");
  ASSERT_TRUE(receipts.ok());
  EXPECT_EQ(receipts.value(), (std::vector<std::string>{"a", "b"}));

  auto change = parse_visibility_body(R"({"receipts":["a"],"visibility_timeout_s":0})");
  ASSERT_TRUE(change.ok()) << change.error().message;
  EXPECT_EQ(change->receipts, std::vector<std::string>{"a"});
  EXPECT_EQ(change->visibility_timeout_s, 0);

  expect_invalid(error_of(parse_ack_body(R"({"receipts":[]})")), "receipts must hold 1 to 100 receipts, got 0");
  expect_invalid(error_of(parse_ack_body(R"({"receipts":["a",3]})")), "receipts[1] must be a string, got a number");
  expect_invalid(error_of(parse_ack_body(R"({"receipt":["a"]})")), "unknown field \"receipt\"");
  expect_invalid(error_of(parse_ack_body("")), "empty body");
  expect_invalid(error_of(parse_visibility_body(R"({"receipts":["a"]})")), "visibility_timeout_s is required");
  expect_invalid(error_of(parse_visibility_body(R"({"receipts":["a"],"visibility_timeout_s":43201})")),
                 "visibility_timeout_s must be an integer from 0 to 43200");
}

TEST(ParseRedrive, OptionalTargetAndMax) {
  auto defaults = parse_redrive_body("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->to);
  EXPECT_FALSE(defaults->max);
  auto request = parse_redrive_body(R"({"to":"orders","max":10000})");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->to, "orders");
  EXPECT_EQ(request->max, 10'000);
  expect_invalid(error_of(parse_redrive_body(R"({"max":10001})")), "max must be an integer from 1 to 10000");
  expect_invalid(error_of(parse_redrive_body(R"({"to":5})")), "to must be a string");
}

TEST(ParseEmptyBody, AcceptsNothingButNothing) {
  EXPECT_TRUE(parse_empty_body("").ok());
  EXPECT_TRUE(parse_empty_body("{}").ok());
  expect_invalid(error_of(parse_empty_body(R"({"all":true})")), "unknown field \"all\"");
}

TEST(ParsePeekState, KnowsTheThreeStates) {
  EXPECT_EQ(parse_peek_state("visible").value(), core::PeekState::visible);
  EXPECT_EQ(parse_peek_state("in_flight").value(), core::PeekState::in_flight);
  EXPECT_EQ(parse_peek_state("delayed").value(), core::PeekState::delayed);
  expect_invalid(error_of(parse_peek_state("leased")), "state");
}

TEST(Render, QueueDocument) {
  core::QueueInfo info;
  info.name = "jobs";
  info.attributes.dead_letter = core::DeadLetterPolicy{"jobs-dlq", 5};
  info.stats = core::QueueStats{3, 2, 1, 42, 7, 6, 5};
  info.created_at_ms = 1'700'000'000'000;
  EXPECT_EQ(boost::json::serialize(queue_json(info)),
            R"({"name":"jobs","attributes":{"visibility_timeout_s":30,"retention_s":345600,"delay_s":0,)"
            R"("max_message_bytes":262144,"dead_letter":{"queue":"jobs-dlq","max_receives":5},"fifo":false,)"
            R"("dedup_window_s":300,"paused":false},"stats":{"visible":3,"in_flight":2,"delayed":1,"oldest_age_s":42,)"
            R"("sent_total":7,"received_total":6,"acked_total":5},)"
            R"("created_at":"2023-11-14T22:13:20.000Z"})");
  info.attributes.dead_letter.reset();
  EXPECT_TRUE(queue_json(info).at("attributes").at("dead_letter").is_null());
}

TEST(Render, MessagesCarryGroupIdOnlyOnFifoQueues) {
  core::ReceivedMessage standard{"1", "hi", {{"k", "v"}}, "r1", 1, 0, std::nullopt};
  core::ReceivedMessage fifo{"2", "yo", {}, "r2", 2, 1'000, "g"};
  EXPECT_EQ(boost::json::serialize(received_json({standard, fifo})),
            R"({"messages":[{"id":"1","body":"hi","attributes":{"k":"v"},"receive_count":1,)"
            R"("sent_at":"1970-01-01T00:00:00.000Z","receipt":"r1"},)"
            R"({"id":"2","body":"yo","attributes":{},"receive_count":2,"sent_at":"1970-01-01T00:00:01.000Z",)"
            R"("group_id":"g","receipt":"r2"}]})");

  core::PeekedMessage peeked{"3", "x", {}, 0, 0, 2'000, std::nullopt, core::PeekState::in_flight};
  auto peek = peek_page_json({{peeked}, std::nullopt});
  EXPECT_EQ(peek.at("messages").at(0).at("visible_at"), "1970-01-01T00:00:02.000Z");
  EXPECT_EQ(peek.at("messages").at(0).at("state"), "in_flight");
  EXPECT_FALSE(peek.at("messages").at(0).as_object().contains("receipt"));
  EXPECT_FALSE(peek.contains("next_cursor")) << "the last page says so by leaving it out";
  EXPECT_EQ(peek_page_json({{peeked}, "5.3"}).at("next_cursor"), "5.3");
}

TEST(Render, ReceiptOutcomesAndCounts) {
  core::AckResult ack{1, {{"bad", ErrorCode::receipt_invalid}}};
  EXPECT_EQ(boost::json::serialize(acked_json(ack)),
            R"({"acked":1,"failed":[{"receipt":"bad","code":"receipt_invalid"}]})");
  EXPECT_EQ(boost::json::serialize(visibility_json(core::VisibilityResult{2, {}})), R"({"updated":2,"failed":[]})");
  core::ReceiveResult received{ack, {core::ReceivedMessage{"1", "hi", {}, "r1", 1, 0, std::nullopt}}};
  boost::json::object with_acks = received_with_acks_json(received);
  EXPECT_EQ(with_acks.at("acks"), acked_json(ack)) << "the ack route's document, as it is";
  EXPECT_EQ(with_acks.at("messages"), received_json(received.messages).at("messages"));
  EXPECT_EQ(with_acks.size(), 2u);
  EXPECT_EQ(boost::json::serialize(purged_json(core::PurgeResult{7})), R"({"purged":7})");
  EXPECT_EQ(boost::json::serialize(redriven_json(core::RedriveResult{4})), R"({"moved":4})");
  EXPECT_EQ(boost::json::serialize(sent_json(core::SendResult{{"5", "6"}})), R"({"messages":[{"id":"5"},{"id":"6"}]})");
  EXPECT_EQ(boost::json::serialize(queue_list_json({"a", "b"}, std::nullopt)), R"({"queues":["a","b"],"next_cursor":null})");
  EXPECT_EQ(boost::json::serialize(queue_list_json({}, std::string("b"))), R"({"queues":[],"next_cursor":"b"})");
}

}  // namespace
}  // namespace queue::api
