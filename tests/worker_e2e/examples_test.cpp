// examples/: example-producer fills a queue of a real queue-server, example-worker
// works it off and stops on SIGTERM; each message is processed exactly once.
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "tests/integration/temp_dir.h"
#include "tests/worker_e2e/harness.h"

namespace worker_e2e {
namespace {

using namespace std::chrono_literals;

constexpr int message_count = 200;
constexpr auto run_bound = 60s;

struct Processed {
  std::string id;
  int receive_count = 0;
  std::string body;
};

// example-worker's "processed id=<id> receive_count=<n> body=<body>" lines.
std::vector<Processed> processed_lines(const std::string& output) {
  static const std::regex line(R"(^processed id=(\S+) receive_count=(\d+) body=(.*)$)");
  std::vector<Processed> found;
  std::istringstream in(output);
  std::smatch match;
  for (std::string text; std::getline(in, text);) {
    if (std::regex_match(text, match, line)) found.push_back({match[1], std::stoi(match[2]), match[3]});
  }
  return found;
}

// example-producer prints each sent id on a line of its own.
std::vector<std::string> produced_ids(const std::string& output) {
  static const std::regex line(R"(^\d+$)");
  std::vector<std::string> ids;
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) {
    if (std::regex_match(text, line)) ids.push_back(text);
  }
  return ids;
}

TEST(Examples, ProducerFillsAQueueAndWorkerProcessesEachMessageOnceThenStopsOnSigterm) {
  test_support::TempDir dir;
  robustness::QueueServer server(QUEUE_SERVER_BINARY, dir.path());
  server.start();
  const test_support::Environment environment{{"QUEUE_URL", queue_url(server)}};
  const std::string queue = "examples";

  test_support::RunResult produced = test_support::run_to_completion(
      EXAMPLE_PRODUCER_BINARY, {queue, std::to_string(message_count)}, environment, dir.file("producer.log"), run_bound);
  ASSERT_TRUE(produced.status.exited && produced.status.code == 0) << produced.output;
  const std::vector<std::string> ids = produced_ids(produced.output);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(message_count)) << produced.output;

  test_support::ChildProcess worker(EXAMPLE_WORKER_BINARY, {queue, "4", "5"}, environment, dir.file("worker.log"));
  robustness::QueueApiClient admin(server);
  EXPECT_TRUE(eventually(
      [&] { return processed_lines(worker.output()).size() >= ids.size() && is_empty(admin, queue); }, run_bound))
      << "not all processed and acked within " << run_bound.count() << " s:\n" << worker.output();
  worker.send_signal(SIGTERM);
  std::optional<test_support::ExitStatus> status = worker.wait_for_exit(30s);
  ASSERT_TRUE(status.has_value()) << "example-worker still runs 30 s after SIGTERM";
  EXPECT_TRUE(status->exited && status->code == 0) << worker.output();

  std::map<std::string, std::vector<Processed>> by_id;
  for (Processed& line : processed_lines(worker.output())) by_id[line.id].push_back(std::move(line));
  std::set<std::string> bodies;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::vector<Processed>& runs = by_id[ids[i]];
    ASSERT_EQ(runs.size(), 1u) << "message " << ids[i] << " processed " << runs.size() << " times";
    EXPECT_EQ(runs[0].body, "message-" + std::to_string(i));
    EXPECT_EQ(runs[0].receive_count, 1);
  }
  EXPECT_EQ(by_id.size(), ids.size()) << "the worker processed messages nobody sent";
  EXPECT_NE(worker.output().find("succeeded=" + std::to_string(message_count) + " "), std::string::npos)
      << worker.output();
  EXPECT_TRUE(is_empty(admin, queue));
}

}  // namespace
}  // namespace worker_e2e
