// The client against FakeServer: what a real Queue never does on purpose. Retries that
// never duplicate a send, Retry-After, deadlines, a server dying mid-call, garbage,
// the retry budget, and https with a certificate made at test time.
#include <gtest/gtest.h>

#include <cstdio>
#include <future>

#include "queue/remote/http_client.h"
#include "tests/remote/fake_server.h"
#include "tests/remote/test_certificate.h"

namespace remote_test {
namespace {

using namespace std::chrono_literals;
using queue::contract::ErrorCode;
using queue::contract::within;
using Clock = std::chrono::steady_clock;

constexpr std::string_view queue_document =
    R"({"name":"q","attributes":{"visibility_timeout_s":30,"retention_s":345600,"delay_s":0,)"
    R"("max_message_bytes":262144,"dead_letter":null,"fifo":false,"dedup_window_s":300},)"
    R"("stats":{"visible":0,"in_flight":0,"delayed":0,"oldest_age_s":0},"created_at":"2024-05-01T12:00:00.250Z"})";

FakeReply queue_found(const FakeRequest&, int) { return FakeReply::json(200, std::string(queue_document)); }

FakeReply unavailable(std::string retry_after) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!retry_after.empty()) headers.emplace_back("Retry-After", retry_after);
  return FakeReply::json(503, R"({"error":{"code":"unavailable","message":"starting","request_id":"r"}})", headers);
}

queue::remote::HttpClientOptions options_for(const FakeServer& server) {
  queue::remote::HttpClientOptions options;
  options.base_url = server.base_url();
  // Quick retries keep the tests short; the rules are the same.
  options.backoff_base = 5ms;
  options.backoff_cap = 20ms;
  return options;
}

std::vector<queue::contract::OutgoingMessage> one_message(std::optional<std::string> dedup_id) {
  queue::contract::OutgoingMessage message;
  message.body = "hello";
  message.dedup_id = std::move(dedup_id);
  return {message};
}

TEST(RemoteFake, SendsTheTokenAndPercentEncodedTargetsUnderThePrefix) {
  FakeServer server(queue_found);
  auto options = options_for(server);
  options.base_url += "/gw/";
  options.token = "s3cret-token";
  auto client = queue::remote::make_http_client(options);
  EXPECT_EQ(client->transport(), "http");
  auto info = client->get_queue("a b/c", within(5s));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->created_at_ms, 1'714'564'800'250);

  options.token.clear();
  ASSERT_TRUE(queue::remote::make_http_client(options)->get_queue("x", within(5s)).ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/gw/api/v1/queues/a%20b%2Fc");
  EXPECT_EQ(requests[0].authorization, "Bearer s3cret-token");
  EXPECT_EQ(requests[1].authorization, "");
}

TEST(RemoteFake, ASendWithoutDedupIdsIsNeverRetriedOnceWritten) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::drop(); });
  auto sent = queue::remote::make_http_client(options_for(server))->send("q", one_message(std::nullopt), within(5s));
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_NE(sent.error().message.find("may have taken effect"), std::string::npos) << sent.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RemoteFake, ASendWithoutDedupIdsIsNotRetriedOn503Either) {
  FakeServer server([](const FakeRequest&, int) { return unavailable("1"); });
  auto sent = queue::remote::make_http_client(options_for(server))->send("q", one_message(std::nullopt), within(5s));
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_EQ(sent.error().retry_after, 1s);
  EXPECT_EQ(sent.error().request_id, "r");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RemoteFake, ASendWhoseEveryMessageHasADedupIdIsRetriedUntilItSucceeds) {
  FakeServer server([](const FakeRequest&, int index) {
    if (index == 0) return FakeReply::drop();
    if (index == 1) return FakeReply::json(502, "<html>bad gateway</html>");
    return FakeReply::json(201, R"({"messages":[{"id":"7"}]})");
  });
  auto sent = queue::remote::make_http_client(options_for(server))->send("q", one_message("order-42"), within(5s));
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(sent->ids, std::vector<std::string>{"7"});
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].body, requests[2].body);  // the same dedup_id every time
}

TEST(RemoteFake, AReadIsRetriedWhenTheServerDiesMidCallUpToTheAttempts) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::drop(); });
  auto options = options_for(server);
  options.retry_attempts = 3;
  auto info = queue::remote::make_http_client(options)->get_queue("q", within(5s));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::unavailable);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(RemoteFake, AReceiveOrPurgeThatReachedTheServerIsNeverRepeated) {
  // A lost receive answer leased messages already; a second purge would delete newer ones.
  FakeServer server([](const FakeRequest& request, int) {
    return request.target.ends_with("/purge") ? unavailable("") : FakeReply::drop();
  });
  auto client = queue::remote::make_http_client(options_for(server));
  auto received = client->receive("q", {}, within(5s));
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().code, ErrorCode::unavailable);
  auto purged = client->purge("q", within(5s));
  ASSERT_FALSE(purged.ok());
  EXPECT_EQ(purged.error().code, ErrorCode::unavailable);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(RemoteFake, RetryAfterIsHonoured) {
  FakeServer server([](const FakeRequest& request, int index) {
    return index == 0 ? unavailable("1") : queue_found(request, index);
  });
  auto started = Clock::now();
  auto info = queue::remote::make_http_client(options_for(server))->get_queue("q", within(5s));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_GE(Clock::now() - started, 990ms);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(RemoteFake, ARetryAfterBeyondTheDeadlineFailsAtOnce) {
  FakeServer server([](const FakeRequest&, int) { return unavailable("30"); });
  auto started = Clock::now();
  auto info = queue::remote::make_http_client(options_for(server))->get_queue("q", within(3s));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::unavailable);
  EXPECT_EQ(info.error().retry_after, 30s);
  EXPECT_LT(Clock::now() - started, 1s);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RemoteFake, AServerThatNeverAnswersEndsInDeadlineExceededOnTime) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::hang(); });
  auto started = Clock::now();
  auto info = queue::remote::make_http_client(options_for(server))->get_queue("q", within(300ms));
  auto took = Clock::now() - started;
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::deadline_exceeded);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1500ms);
}

TEST(RemoteFake, AReceiveWaitsOnlyWhatFitsBeforeTheDeadline) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::json(200, R"({"messages":[]})"); });
  queue::contract::ReceiveRequest receive;
  receive.wait_s = 20;
  auto received = queue::remote::make_http_client(options_for(server))->receive("q", receive, within(3500ms));
  ASSERT_TRUE(received.ok()) << received.error().message;
  ASSERT_EQ(server.request_count(), 1u);
  // 3.5 s minus the 2 s margin: one whole second.
  EXPECT_NE(server.requests()[0].body.find(R"("wait_s":1)"), std::string::npos) << server.requests()[0].body;
}

TEST(RemoteFake, AStopTokenEndsAPollAtOnceWithAnEmptyList) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::hang(); });
  auto client = queue::remote::make_http_client(options_for(server));
  std::stop_source stop;
  std::promise<queue::contract::Result<std::vector<queue::contract::ReceivedMessage>>> answer;
  queue::contract::ReceiveRequest receive;
  receive.wait_s = 20;
  client->async_receive("q", receive, within(30s, stop.get_token()), [&](auto result) { answer.set_value(std::move(result)); });
  ASSERT_TRUE(server.wait_for_requests(1));
  auto stopped_at = Clock::now();
  stop.request_stop();
  auto answered = answer.get_future();
  ASSERT_EQ(answered.wait_for(2s), std::future_status::ready);
  EXPECT_LT(Clock::now() - stopped_at, 1s);
  auto result = answered.get();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->empty());
}

TEST(RemoteFake, GarbageFromTheServerIsAnInternalErrorNeverACrash) {
  FakeServer server([](const FakeRequest&, int index) {
    if (index == 0) return FakeReply::json(200, "this is not JSON");
    if (index == 1) return FakeReply::json(200, R"({"name":"q","attributes":[]})");
    return FakeReply::raw("SPDY/9 what?\r\n\r\n");
  });
  auto client = queue::remote::make_http_client(options_for(server));
  for (std::string_view says : {"not JSON", "'attributes' should be an object", "malformed HTTP"}) {
    auto info = client->get_queue("q", within(5s));
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, ErrorCode::internal_error);
    EXPECT_NE(info.error().message.find(says), std::string::npos) << info.error().message;
  }
  EXPECT_EQ(server.request_count(), 3u);  // garbage is not retried
}

TEST(RemoteFake, ErrorsKeepTheirCodeAndTheRequestIdHeader) {
  FakeServer server([](const FakeRequest&, int) {
    return FakeReply::json(404, R"({"error":{"code":"queue_not_found","message":"no queue 'q'"}})",
                           {{"X-Request-ID", "trace-7"}});
  });
  auto info = queue::remote::make_http_client(options_for(server))->get_queue("q", within(5s));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::queue_not_found);
  EXPECT_EQ(info.error().message, "no queue 'q'");
  EXPECT_EQ(info.error().request_id, "trace-7");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(RemoteFake, AnUnreachableServerIsUnavailableWithinTheDeadline) {
  unsigned short port = 0;
  {
    FakeServer gone(queue_found);
    port = gone.port();
  }
  queue::remote::HttpClientOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.backoff_base = 5ms;
  auto started = Clock::now();
  auto info = queue::remote::make_http_client(options)->get_queue("q", within(3s));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::unavailable);
  EXPECT_TRUE(info.error().request_id.empty());
  EXPECT_LT(Clock::now() - started, 3s);
}

TEST(RemoteFake, TheRetryBudgetStopsRetriesWhileTheServerKeepsFailing) {
  FakeServer server([](const FakeRequest&, int) { return unavailable(""); });
  auto options = options_for(server);
  options.retry_attempts = 10;
  options.retry_budget = 10;
  options.retry_cost = 5;
  auto client = queue::remote::make_http_client(options);
  auto first = client->get_queue("q", within(5s));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(server.request_count(), 3u);  // the first attempt and two paid retries
  auto second = client->get_queue("q", within(5s));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("retry budget"), std::string::npos) << second.error().message;
  EXPECT_EQ(server.request_count(), 4u);
}

TEST(RemoteFake, ShortCallsShareKeptAliveConnections) {
  FakeServer server(queue_found);
  auto client = queue::remote::make_http_client(options_for(server));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->get_queue("q", within(5s)).ok());
  EXPECT_EQ(server.connection_count(), 1u);
}

TEST(RemoteFake, DroppingTheClientAnswersWhatIsInFlight) {
  FakeServer server([](const FakeRequest&, int) { return FakeReply::hang(); });
  auto client = queue::remote::make_http_client(options_for(server));
  std::promise<queue::contract::Result<queue::contract::QueueInfo>> answer;
  client->async_get_queue("q", within(30s), [&](auto result) { answer.set_value(std::move(result)); });
  ASSERT_TRUE(server.wait_for_requests(1));
  client.reset();
  auto answered = answer.get_future();
  ASSERT_EQ(answered.wait_for(2s), std::future_status::ready);
  auto result = answered.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::unavailable);
}

class RemoteHttps : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& file : files_) std::remove(file.c_str());
  }
  TestCertificate certificate(const std::vector<std::string>& names) {
    TestCertificate made = make_self_signed_certificate(names);
    files_.push_back(made.certificate_file);
    return made;
  }

 private:
  std::vector<std::string> files_;
};

TEST_F(RemoteHttps, VerifiesTheServerAgainstTheGivenCa) {
  TestCertificate made = certificate({"IP:127.0.0.1", "DNS:localhost"});
  TlsIdentity identity{made.certificate_pem, made.private_key_pem};
  FakeServer server(queue_found, &identity);
  auto options = options_for(server);
  options.ca_file = made.certificate_file;
  auto info = queue::remote::make_http_client(options)->get_queue("q", within(5s));
  ASSERT_TRUE(info.ok()) << info.error().message;
  // By name too: SNI and hostname verification.
  options.base_url = "https://localhost:" + std::to_string(server.port());
  auto by_name = queue::remote::make_http_client(options)->get_queue("q", within(5s));
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
}

TEST_F(RemoteHttps, RefusesAnUntrustedOrMisnamedCertificate) {
  TestCertificate made = certificate({"IP:127.0.0.1"});
  TlsIdentity identity{made.certificate_pem, made.private_key_pem};
  FakeServer server(queue_found, &identity);
  auto options = options_for(server);
  auto untrusted = queue::remote::make_http_client(options)->get_queue("q", within(5s));
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code, ErrorCode::unavailable);
  EXPECT_NE(untrusted.error().message.find("TLS handshake"), std::string::npos) << untrusted.error().message;

  TestCertificate other = certificate({"DNS:other.example"});
  TlsIdentity other_identity{other.certificate_pem, other.private_key_pem};
  FakeServer misnamed(queue_found, &other_identity);
  auto misnamed_options = options_for(misnamed);
  misnamed_options.ca_file = other.certificate_file;
  auto wrong_name = queue::remote::make_http_client(misnamed_options)->get_queue("q", within(5s));
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(wrong_name.error().code, ErrorCode::unavailable);
  EXPECT_EQ(server.request_count() + misnamed.request_count(), 0u);  // no request ever left
}

TEST_F(RemoteHttps, AReceiveIsRetriedWhenItNeverReachedTheServer) {
  // A failed handshake is a request that never left: even a receive may try again.
  TestCertificate made = certificate({"IP:127.0.0.1"});
  TlsIdentity identity{made.certificate_pem, made.private_key_pem};
  FakeServer server(queue_found, &identity);
  auto options = options_for(server);
  options.retry_attempts = 3;
  auto received = queue::remote::make_http_client(options)->receive("q", {}, within(5s));
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().code, ErrorCode::unavailable);
  EXPECT_EQ(server.connection_count(), 3u);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(RemoteOptions, ABadBaseUrlOrCaFileIsRefusedAtOnce) {
  EXPECT_THROW(queue::remote::make_http_client({.base_url = "localhost:5000"}), std::invalid_argument);
  EXPECT_THROW(queue::remote::make_http_client({.base_url = "https://h", .ca_file = "/nonexistent/ca.pem"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace remote_test
