// The real binaries over real sockets: `raptor` with and without Queue, the
// standalone `queue-server`, request ids in responses and logs, a Queue that cannot
// start, config errors, and SIGTERM draining in-flight requests.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "tests/integration/server_process.h"
#include "tests/integration/temp_dir.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace {

namespace json = boost::json;
using test_support::ChildProcess;
using test_support::Environment;
using test_support::ServerProcess;
using test_support::TempDir;

const std::string raptor_binary = RAPTOR_BINARY;
const std::string queue_server_binary = QUEUE_SERVER_BINARY;

Environment queue_environment(const TempDir& dir, bool flag = true) {
  return {{"FLAG_QUEUE_V1", flag ? "1" : "0"},
          {"QUEUE_DATABASE_URL", "sqlite:" + dir.file("queue.db")},
          {"QUEUE_OPEN_RETRY_MIN_MS", "20"}};
}

// ThreadSanitizer runs one background thread of its own in every process.
constexpr std::size_t sanitizer_threads = std::string_view(QUEUE_SANITIZE) == "thread" ? 1 : 0;
// common::log writes batched access lines from a thread of its own, started by the first one.
constexpr std::size_t log_threads = 1;

// Threads of a running process, from /proc.
std::size_t thread_count(pid_t pid) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    (void)entry;
    ++count;
  }
  return count;
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) count += line.find(needle) != std::string::npos;
  return count;
}

TEST(RaptorBinary, FlagOnServesRaptorAndQueueOnOnePort) {
  TempDir dir;
  ServerProcess raptor(raptor_binary, queue_environment(dir), dir);
  ASSERT_TRUE(raptor.wait_for_status("/api/v1/queue/readyz", 200)) << raptor.output();

  test::HttpClient client(raptor.port());
  test::HttpResponse health = client.get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("status"), "ok");

  test::HttpResponse list = client.get("/api/v1/queues");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json(), json::parse(R"({"queues":[],"next_cursor":null})"));
  EXPECT_EQ(list.header("Content-Type"), "application/json");
  EXPECT_TRUE(std::filesystem::exists(dir.file("queue.db")));

  EXPECT_EQ(client.get("/api/v1/raptor/version").json().at("queue_api"), "v1");
  // main + WEB_CONCURRENCY workers + the log's + Queue's engine thread.
  EXPECT_GT(thread_count(raptor.process().pid()), 1u + 2u + log_threads + sanitizer_threads);
}

TEST(RaptorBinary, FlagOffQueueRoutesAre404InRaptorsFormatAndNothingIsOpened) {
  TempDir dir;
  // Queue's default database lives under the working directory: it must stay empty.
  ServerProcess raptor(raptor_binary, {{"FLAG_QUEUE_V1", "0"}}, dir, {}, dir.path().string());

  test::HttpClient client(raptor.port());
  EXPECT_EQ(client.get("/healthz").status, 200);
  test::HttpResponse list = client.get("/api/v1/queues");
  EXPECT_EQ(list.status, 404);
  EXPECT_EQ(list.json().at("status"), "error") << list.body;
  EXPECT_EQ(list.json().at("error").at("type"), "not_found") << list.body;
  EXPECT_EQ(client.get("/api/v1/queue/readyz").status, 404);

  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data")) << "Queue opened storage with the flag off";
  EXPECT_EQ(thread_count(raptor.process().pid()), 1u + 2u + log_threads + sanitizer_threads)
      << "main + WEB_CONCURRENCY workers + the log's (requests were logged), nothing of Queue's";
  EXPECT_EQ(raptor.output().find("msg=queue_"), std::string::npos) << "Queue logged with the flag off:\n"
                                                                      << raptor.output();
}

TEST(QueueServerBinary, ServesApiV1OnItsOwn) {
  TempDir dir;
  ServerProcess queue(queue_server_binary, queue_environment(dir), dir);
  ASSERT_TRUE(queue.wait_for_status("/api/v1/queue/readyz", 200)) << queue.output();

  test::HttpClient client(queue.port());
  test::HttpResponse list = client.get("/api/v1/queues");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json(), json::parse(R"({"queues":[],"next_cursor":null})"));
  // No Raptor here: even unknown paths answer in Queue's format.
  test::HttpResponse raptor_path = client.get("/healthz");
  EXPECT_EQ(raptor_path.status, 404);
  EXPECT_EQ(raptor_path.json().at("error").at("code"), "not_found") << raptor_path.body;
  EXPECT_NE(queue.output().find("msg=queue_loopback_only"), std::string::npos) << queue.output();
}

TEST(QueueServerBinary, PortFromTheCommandLineWinsOverTheEnvironment) {
  TempDir dir;
  unsigned short port = test_support::free_port();
  Environment env = queue_environment(dir);
  env["PORT"] = "1";  // would need root, and is overridden anyway
  ChildProcess queue(queue_server_binary, {"--port", std::to_string(port)}, env, dir.file("queue.log"));
  ASSERT_TRUE(queue.wait_for_port(port, std::chrono::seconds(20))) << queue.output();
  queue.send_signal(SIGTERM);
  auto status = queue.wait_for_exit(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code, 0) << queue.output();
}

TEST(QueueServerBinary, HelpAndBadArgumentsAnswerWithoutServing) {
  TempDir dir;
  auto help = test_support::run_to_completion(queue_server_binary, {"--help"}, {}, dir.file("help.log"),
                                              std::chrono::seconds(10));
  EXPECT_EQ(help.status.code, 0);
  EXPECT_NE(help.output.find("--port"), std::string::npos) << help.output;

  auto bad = test_support::run_to_completion(queue_server_binary, {"--port", "99999"}, {}, dir.file("bad.log"),
                                             std::chrono::seconds(10));
  EXPECT_TRUE(bad.status.exited);
  EXPECT_NE(bad.status.code, 0) << bad.output;
}

TEST(QueueServerBinary, RefusesToStartMisconfigured) {
  TempDir dir;
  Environment env = queue_environment(dir);
  env["QUEUE_DURABILITY"] = "sometimes";
  env["PORT"] = std::to_string(test_support::free_port());
  auto result = test_support::run_to_completion(queue_server_binary, {}, env, dir.file("q.log"),
                                                std::chrono::seconds(10));
  EXPECT_EQ(result.status.code, 1);
  EXPECT_NE(result.output.find("QUEUE_DURABILITY"), std::string::npos) << result.output;
}

TEST(RaptorBinary, QueueThatCannotStartAnswers503WhileRaptorServes) {
  TempDir dir;
  Environment env{{"FLAG_QUEUE_V1", "1"}, {"QUEUE_DATABASE_URL", "sqlite:/proc/forbidden/q.db"}};
  ServerProcess raptor(raptor_binary, env, dir);
  ASSERT_TRUE(raptor.process().wait_for_output("msg=queue_storage_unavailable", std::chrono::seconds(10)))
      << raptor.output();

  test::HttpClient client(raptor.port());
  test::HttpResponse list = client.get("/api/v1/queues");
  EXPECT_EQ(list.status, 503);
  EXPECT_EQ(list.json().at("error").at("code"), "unavailable") << list.body;
  EXPECT_FALSE(list.header("Retry-After").empty());
  EXPECT_EQ(client.get("/api/v1/queue/readyz").status, 503);
  EXPECT_EQ(client.get("/healthz").status, 200);
  EXPECT_EQ(client.get("/api/v1/raptor/version").status, 200);
  EXPECT_TRUE(raptor.process().running());
}

TEST(RaptorBinary, RequestIdIsHonouredEchoedAndLoggedInLogfmt) {
  TempDir dir;
  ServerProcess raptor(raptor_binary, queue_environment(dir), dir);
  ASSERT_TRUE(raptor.wait_for_status("/api/v1/queue/readyz", 200)) << raptor.output();
  test::HttpClient client(raptor.port());

  test::HttpResponse raptor_route = client.get("/healthz", {{"X-Request-ID", "trace-raptor-7"}});
  EXPECT_EQ(raptor_route.header("X-Request-ID"), "trace-raptor-7");
  test::HttpResponse queue_error = client.get("/api/v1/queues?limit=0", {{"X-Request-ID", "trace-queue-8"}});
  EXPECT_EQ(queue_error.status, 400);
  EXPECT_EQ(queue_error.header("X-Request-ID"), "trace-queue-8");
  EXPECT_EQ(queue_error.json().at("error").at("request_id"), "trace-queue-8");

  // Without one, each request gets a fresh id.
  std::set<std::string> generated;
  for (int i = 0; i < 3; ++i) generated.insert(client.get("/healthz").header("X-Request-ID"));
  EXPECT_EQ(generated.size(), 3u);
  EXPECT_FALSE(generated.contains(""));

  ASSERT_TRUE(raptor.process().wait_for_output("request_id=trace-queue-8", std::chrono::seconds(5)));
  std::string logs = raptor.output();
  // Every line is logfmt: ts=... level=... msg=... key=value...
  std::regex logfmt_line(R"(ts=\S+ level=(debug|info|warning|error|critical) msg=\S+( [A-Za-z0-9_]+=("([^"\\]|\\.)*"|\S+))*)");
  std::istringstream lines(logs);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_match(line, logfmt_line)) << "not logfmt: " << line;
  }
  EXPECT_EQ(count_lines_with(logs, "request_id=trace-raptor-7"), 1u) << logs;
  EXPECT_NE(logs.find("msg=request method=GET path=/healthz status=200"), std::string::npos) << logs;
  EXPECT_NE(logs.find("msg=listening app=raptor host=127.0.0.1 port=" + std::to_string(raptor.port())),
            std::string::npos)
      << logs;
}

TEST(RaptorBinary, SigtermLetsAnInFlightRequestFinishThenExitsZero) {
  TempDir dir;
  ServerProcess raptor(raptor_binary, queue_environment(dir), dir);
  ASSERT_TRUE(raptor.wait_for_status("/api/v1/queue/readyz", 200)) << raptor.output();

  // A request half sent when SIGTERM arrives: the server must read the rest and answer.
  test::HttpClient in_flight(raptor.port());
  in_flight.send_raw("GET /api/v1/raptor/version HTTP/1.1\r\nHost: test\r\n");
  test::HttpClient idle(raptor.port());
  EXPECT_EQ(idle.get("/healthz").status, 200);  // leaves an idle keep-alive connection

  auto signalled_at = std::chrono::steady_clock::now();
  raptor.process().send_signal(SIGTERM);
  ASSERT_TRUE(raptor.process().wait_for_output("msg=draining", std::chrono::seconds(10))) << raptor.output();
  EXPECT_TRUE(idle.wait_closed(std::chrono::seconds(10))) << "idle connections close at once when draining";

  in_flight.send_raw("X-Request-ID: drained-1\r\n\r\n");
  test::HttpResponse answer = in_flight.read_response();
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.header("X-Request-ID"), "drained-1");
  EXPECT_TRUE(answer.closes_connection());

  auto status = raptor.process().wait_for_exit(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "still running 30 s after SIGTERM";
  EXPECT_TRUE(status->exited);
  EXPECT_EQ(status->code, 0) << raptor.output();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled_at, std::chrono::seconds(30));
  EXPECT_NE(raptor.output().find("request_id=drained-1"), std::string::npos);
}

TEST(RaptorBinary, RefusesToServeQueueOnAPublicAddressWithoutTokens) {
  TempDir dir;
  Environment env = queue_environment(dir);
  env["HOST"] = "0.0.0.0";
  env["PORT"] = std::to_string(test_support::free_port());
  auto result = test_support::run_to_completion(raptor_binary, {}, env, dir.file("raptor.log"),
                                                std::chrono::seconds(15));
  EXPECT_EQ(result.status.code, 1) << result.output;
  EXPECT_NE(result.output.find("QUEUE_API_TOKENS"), std::string::npos) << result.output;
}

TEST(RaptorBinary, MalformedPlatformConfigFailsClearly) {
  TempDir dir;
  auto result = test_support::run_to_completion(raptor_binary, {}, {{"PORT", "fifty"}}, dir.file("raptor.log"),
                                                std::chrono::seconds(10));
  EXPECT_EQ(result.status.code, 1);
  EXPECT_NE(result.output.find("msg=startup_failed"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("PORT"), std::string::npos) << result.output;
}

}  // namespace
