// `raptor-remote-only`: Raptor built with no Queue implementation (Phase 4 in one CMake
// option). Its binary holds none of Queue's internals, FLAG_QUEUE_V1 mounts nothing,
// and its Queue feature works against a real `queue-server` over RAPTOR_QUEUE_URL.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <memory>
#include <regex>
#include <string>

#include "backend_v2/api/app_factory.h"
#include "queue/contract/client.h"
#include "tests/integration/in_process.h"
#include "tests/integration/server_process.h"
#include "tests/integration/temp_dir.h"
#include "web/config.h"

namespace {

using test_support::dispatch;
using test_support::json_of;
using test_support::ServerProcess;
using test_support::TempDir;

// Queue's implementation: whatever of it a binary holds shows up as symbols in these namespaces.
const std::regex queue_internals(R"(queue::(core|api|storage|in_process)::)");

// `nm -C` of a binary: its symbols, demangled, one a line.
std::string symbols_of(const std::string& binary) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(("nm -C '" + binary + "' 2>&1").c_str(), "r"), ::pclose);
  if (!pipe) return "";
  std::string text;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0;) text.append(buffer, n);
  return text;
}

std::string first_match(const std::string& text, const std::regex& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, pattern)) return "";
  std::size_t start = text.rfind('\n', static_cast<std::size_t>(match.position())) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

TEST(RaptorRemoteOnlyBinary, HoldsNoQueueImplementation) {
  std::string symbols = symbols_of(RAPTOR_REMOTE_ONLY_BINARY);
  ASSERT_NE(symbols.find("raptor::api::create_app"), std::string::npos) << "nm saw no symbols:\n"
                                                                          << symbols.substr(0, 500);
  EXPECT_NE(symbols.find("queue::remote::make_http_client"), std::string::npos);
  EXPECT_EQ(first_match(symbols, queue_internals), "");
  EXPECT_EQ(symbols.find("sqlite3_open"), std::string::npos);
}

TEST(RaptorRemoteOnlyBinary, TheEmbeddedBuildDoesHoldIt) {
  // The same check on `raptor` finds Queue: the test above can see what it looks for.
  if (!RAPTOR_EMBEDS_QUEUE) GTEST_SKIP() << "raptor is built with RAPTOR_EMBED_QUEUE=OFF";
  EXPECT_NE(first_match(symbols_of(RAPTOR_BINARY), queue_internals), "");
}

TEST(RaptorRemoteOnlyApp, TheFlagAloneMountsNothing) {
  TempDir dir;
  auto app = raptor::api::create_app(web::Config(web::Config::Values{
      {"FLAG_QUEUE_V1", "1"}, {"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")}}));
  EXPECT_EQ(json_of(dispatch(*app, "GET", "/api/v1/raptor/version")).at("queue_mode"), "off");
  EXPECT_EQ(dispatch(*app, "GET", "/api/v1/queues").status, 404);
  EXPECT_EQ(dispatch(*app, "POST", "/api/v1/raptor/exports", {}, R"({"report":"r"})").status, 503);
  EXPECT_EQ(app->extension<queue::contract::QueueClient>(), nullptr);
}

TEST(RaptorRemoteOnlyApp, ExportsGoToARemoteQueueServer) {
  TempDir dir;
  ServerProcess queue_server(QUEUE_SERVER_BINARY,
                             {{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")},
                              {"QUEUE_API_TOKENS", "raptor:raptor-token:admin"}},
                             dir);
  ASSERT_TRUE(queue_server.wait_for_status("/api/v1/queue/readyz", 200)) << queue_server.output();

  auto app = raptor::api::create_app(web::Config(web::Config::Values{
      {"RAPTOR_QUEUE_URL", "http://127.0.0.1:" + std::to_string(queue_server.port())},
      {"RAPTOR_QUEUE_TOKEN", "raptor-token"}}));
  EXPECT_EQ(json_of(dispatch(*app, "GET", "/api/v1/raptor/version")).at("queue_mode"), "remote");

  web::Response accepted = dispatch(*app, "POST", "/api/v1/raptor/exports", {{"Content-Type", "application/json"}},
                                    R"({"report":"sales-q1"})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  web::Response depth = dispatch(*app, "GET", "/api/v1/raptor/exports/queue");
  ASSERT_EQ(depth.status, 200) << depth.body;
  EXPECT_EQ(json_of(depth).at("visible"), 1);
}

TEST(RaptorRemoteOnlyApp, AWrongTokenIsRaptorsBadGatewayNotTheClientsFault) {
  TempDir dir;
  ServerProcess queue_server(QUEUE_SERVER_BINARY,
                             {{"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")},
                              {"QUEUE_API_TOKENS", "raptor:raptor-token:admin"}},
                             dir);
  ASSERT_TRUE(queue_server.wait_for_status("/api/v1/queue/readyz", 200)) << queue_server.output();
  auto app = raptor::api::create_app(web::Config(web::Config::Values{
      {"RAPTOR_QUEUE_URL", "http://127.0.0.1:" + std::to_string(queue_server.port())},
      {"RAPTOR_QUEUE_TOKEN", "stale-token"}}));
  web::Response refused = dispatch(*app, "POST", "/api/v1/raptor/exports", {{"Content-Type", "application/json"}},
                                   R"({"report":"r"})");
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_EQ(json_of(refused).at("error").at("type"), "queue_error");
}

}  // namespace
