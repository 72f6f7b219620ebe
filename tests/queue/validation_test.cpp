// Input rules that need no data (queue/core/validation.h), and that the service
// applies them before touching the store.
#include "queue/core/validation.h"

#include "service_harness.h"

namespace queue::testing {
namespace {

QUEUE_ENGINE_SUITE(ServiceValidation);

bool rejected(const std::optional<Error>& error, ErrorCode code = ErrorCode::invalid_request) {
  return error && error->code == code;
}

TEST(Validation, QueueNames) {
  EXPECT_FALSE(check_queue_name("orders"));
  EXPECT_FALSE(check_queue_name("A_b-9"));
  EXPECT_FALSE(check_queue_name("jobs.fifo"));
  EXPECT_FALSE(check_queue_name(std::string(80, 'a')));
  EXPECT_FALSE(check_queue_name(std::string(80, 'a') + ".fifo"));
  for (std::string bad : {std::string(), std::string(81, 'a'), std::string(".fifo"), std::string("a.b"),
                          std::string("a b"), std::string("a/b"), std::string("ü"), std::string("a.FIFO")}) {
    EXPECT_TRUE(rejected(check_queue_name(bad))) << bad;
  }
}

TEST(Validation, AttributeRanges) {
  auto patch_with = [](auto setter) {
    AttributesPatch patch;
    setter(patch);
    return check_patch("q", patch);
  };
  EXPECT_FALSE(patch_with([](auto& p) { p.visibility_timeout_s = 43'200; }));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.visibility_timeout_s = 43'201; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.visibility_timeout_s = -1; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.retention_s = 59; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.retention_s = 1'209'601; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.delay_s = 901; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.max_message_bytes = 0; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.max_message_bytes = 1'048'577; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.dedup_window_s = 86'401; })));
  EXPECT_TRUE(rejected(patch_with([](auto& p) { p.dead_letter = DeadLetterPolicy{"bad name", 3}; })));
  auto message = patch_with([](auto& p) { p.delay_s = 901; });
  EXPECT_NE(message->message.find("delay_s"), std::string::npos);
}

TEST(Validation, Messages) {
  EXPECT_TRUE(rejected(check_messages({})));
  EXPECT_TRUE(rejected(check_messages(std::vector<OutgoingMessage>(101, message("x")))));
  EXPECT_FALSE(check_messages(std::vector<OutgoingMessage>(100, message("x"))));
  OutgoingMessage m = message("x");
  m.delay_s = 901;
  EXPECT_TRUE(rejected(check_messages({m})));
  m = message("x");
  m.attributes[""] = "v";
  EXPECT_TRUE(rejected(check_messages({m})));
  m = message("x");
  m.attributes["k"] = std::string("\xc0\xaf", 2);  // overlong '/'
  EXPECT_TRUE(rejected(check_messages({m})));
  m = message("x");
  for (int i = 0; i < 51; ++i) m.attributes["k" + std::to_string(i)] = "v";
  EXPECT_TRUE(rejected(check_messages({m})));
  m = message("x");
  m.group_id = std::string(129, 'g');
  EXPECT_TRUE(rejected(check_messages({m})));
  m.group_id = "has space";
  EXPECT_TRUE(rejected(check_messages({m})));
  m = message("x");
  m.dedup_id = std::string(128, 'd');
  EXPECT_FALSE(check_messages({m}));
  m.dedup_id = std::string(129, 'd');
  EXPECT_TRUE(rejected(check_messages({m})));
  m.dedup_id = "";
  EXPECT_TRUE(rejected(check_messages({m})));
  EXPECT_TRUE(rejected(check_messages({message(std::string(1'048'577, 'x'))}), ErrorCode::payload_too_large));
}

TEST(Validation, MessageSizeCountsBodyAndAttributes) {
  OutgoingMessage m = message("12345");
  m.attributes = {{"ab", "cde"}};
  EXPECT_EQ(message_size(m), 10u);
  QueueAttributes queue;
  queue.max_message_bytes = 10;
  EXPECT_FALSE(check_for_queue({m}, queue));
  queue.max_message_bytes = 9;
  EXPECT_TRUE(rejected(check_for_queue({m}, queue), ErrorCode::payload_too_large));
}

TEST(Validation, Utf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_TRUE(is_valid_utf8(std::string("nul\0inside", 10)));
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));                  // truncated
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));          // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));      // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xff"));
}

TEST(Validation, RequestRanges) {
  EXPECT_TRUE(rejected(check_receive({0, std::nullopt, 0})));
  EXPECT_TRUE(rejected(check_receive({101, std::nullopt, 0})));
  EXPECT_TRUE(rejected(check_receive({1, 43'201, 0})));
  EXPECT_TRUE(rejected(check_receive({1, std::nullopt, 20'001})));
  EXPECT_FALSE(check_receive({100, 0, 20'000}));
  EXPECT_TRUE(rejected(check_receipt_batch(0)));
  EXPECT_TRUE(rejected(check_receipt_batch(101)));
  EXPECT_TRUE(rejected(check_visibility_timeout(-1)));
  EXPECT_TRUE(rejected(check_list_request({"", 0, ""})));
  EXPECT_TRUE(rejected(check_list_request({"", 1001, ""})));
  EXPECT_TRUE(rejected(check_list_request({"a b", 10, ""})));
  EXPECT_TRUE(rejected(check_list_request({"", 10, "not a cursor!"})));
  EXPECT_TRUE(rejected(check_peek({PeekState::visible, 0, ""})));
  EXPECT_TRUE(rejected(check_peek({PeekState::visible, 101, ""})));
}

TEST_P(ServiceValidation, RejectsBeforeTouchingTheStore) {
  ServiceHarness h;
  EXPECT_EQ(h.put("bad name").error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.send("missing", {}).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.receive("missing", {0, std::nullopt, 0}).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.ack("missing", {}).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.change_visibility("missing", {"r"}, 43'201).error().code, ErrorCode::invalid_request);
  EXPECT_EQ(h.peek("missing", PeekState::visible, 0).error().code, ErrorCode::invalid_request);
  // Well-formed requests on a missing queue reach the engine and say so.
  EXPECT_EQ(h.send("missing", {message("x")}).error().code, ErrorCode::queue_not_found);
  EXPECT_EQ(h.receive("missing").error().code, ErrorCode::queue_not_found);
  EXPECT_EQ(h.ack("missing", {"r"}).error().code, ErrorCode::queue_not_found);
  EXPECT_EQ(h.peek("missing", PeekState::visible).error().code, ErrorCode::queue_not_found);
}

TEST(Validation, ErrorCodesHaveWireNames) {
  EXPECT_EQ(to_string(ErrorCode::invalid_request), "invalid_request");
  EXPECT_EQ(to_string(ErrorCode::queue_not_found), "queue_not_found");
  EXPECT_EQ(to_string(ErrorCode::conflict), "conflict");
  EXPECT_EQ(to_string(ErrorCode::payload_too_large), "payload_too_large");
  EXPECT_EQ(to_string(ErrorCode::receipt_invalid), "receipt_invalid");
  EXPECT_EQ(to_string(ErrorCode::unavailable), "unavailable");
  EXPECT_EQ(to_string(ErrorCode::internal), "internal");
}

}  // namespace
}  // namespace queue::testing
