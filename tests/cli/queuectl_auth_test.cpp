// queuectl against a queue-server with QUEUE_API_TOKENS: the token from --token or
// QUEUE_TOKEN, and exit code 3 for a missing, unknown or too weak one.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/cli/queuectl.h"
#include "tests/concurrency/queue_server.h"

namespace {

using queuectl_test::queuectl;
using queuectl_test::Outcome;

constexpr int ok = 0, auth = 3;

class QueuectlAuth : public ::testing::Test {
 protected:
  QueuectlAuth()
      : server_(QUEUE_SERVER_BINARY, dir_.path(),
                {{"QUEUE_API_TOKENS", "ops:ops-token:admin;worker:worker-token:receive@jobs"}}) {
    server_.start();
  }

  Outcome run(std::vector<std::string> args, test_support::Environment env = {}) {
    env.emplace("QUEUE_URL", queuectl_test::url_of(server_.port()));
    return queuectl(dir_, std::move(args), std::move(env));
  }

  test_support::TempDir dir_;
  robustness::QueueServer server_;
};

TEST_F(QueuectlAuth, ATokenFromTheFlagOrTheEnvironmentIsSent) {
  EXPECT_EQ(run({"--token", "ops-token", "queues", "create", "jobs"}).code, ok);
  Outcome listed = run({"-o", "json", "queues", "list"}, {{"QUEUE_TOKEN", "ops-token"}});
  ASSERT_EQ(listed.code, ok) << listed.err;
  EXPECT_EQ(listed.json().at("queues"), (boost::json::array{"jobs"}));
  // The flag wins over the environment.
  EXPECT_EQ(run({"--token", "ops-token", "health"}, {{"QUEUE_TOKEN", "wrong"}}).code, ok);
}

TEST_F(QueuectlAuth, MissingOrUnknownTokenExitsWithThree) {
  Outcome none = run({"-o", "json", "health"});
  EXPECT_EQ(none.code, auth) << none.err;
  EXPECT_EQ(none.error_json().at("error").at("code"), "unauthorized");

  Outcome unknown = run({"queues", "list"}, {{"QUEUE_TOKEN", "not-a-token"}});
  EXPECT_EQ(unknown.code, auth);
  EXPECT_NE(unknown.err.find("queuectl: unauthorized:"), std::string::npos) << unknown.err;
}

TEST_F(QueuectlAuth, ATokenWithoutTheScopeExitsWithThree) {
  ASSERT_EQ(run({"--token", "ops-token", "queues", "create", "jobs"}).code, ok);
  Outcome forbidden = run({"-o", "json", "--token", "worker-token", "queues", "purge", "jobs", "--yes"});
  EXPECT_EQ(forbidden.code, auth) << forbidden.err;
  EXPECT_EQ(forbidden.error_json().at("error").at("code"), "forbidden");
  // What the scope covers works with the same token.
  EXPECT_EQ(run({"--token", "worker-token", "messages", "receive", "jobs"}).code, ok);
}

}  // namespace
