// common::log on stdout: which lines wait (access lines) and which are written at once.
#include "common/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace common::log {
namespace {

using namespace std::chrono_literals;

// Points stdout at a file for the test's lifetime.
class CapturedStdout {
 public:
  CapturedStdout() {
    std::fflush(stdout);
    saved_ = ::dup(STDOUT_FILENO);
    std::FILE* file = std::fopen(path_.c_str(), "w");
    ::dup2(::fileno(file), STDOUT_FILENO);
    std::fclose(file);
  }
  ~CapturedStdout() {
    flush();
    std::fflush(stdout);
    ::dup2(saved_, STDOUT_FILENO);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::string text() const {
    std::ifstream in(path_);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }
  bool wait_for(std::string_view needle, std::chrono::milliseconds within) const {
    auto until = std::chrono::steady_clock::now() + within;
    while (text().find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

 private:
  std::string path_ = "common_log_test_stdout." + std::to_string(::getpid());
  int saved_ = -1;
};

TEST(Log, BatchedLinesComeOutWithTheNextImmediateLineInOrder) {
  init(Level::info);
  CapturedStdout out;
  write_batched(Level::info, "request", {{"path", "/a"}});
  write_batched(Level::info, "request", {{"path", "/b"}});
  info("listening", {{"port", 1}});
  std::string text = out.text();
  auto a = text.find("level=info msg=request path=/a\n");
  auto b = text.find("level=info msg=request path=/b\n");
  auto listening = text.find("level=info msg=listening port=1\n");
  ASSERT_NE(a, std::string::npos) << text;
  ASSERT_NE(b, std::string::npos) << text;
  ASSERT_NE(listening, std::string::npos) << text;
  EXPECT_LT(a, b);
  EXPECT_LT(b, listening);
}

TEST(Log, BatchedWarningsAndErrorsAreWrittenAtOnce) {
  init(Level::info);
  CapturedStdout out;
  write_batched(Level::warn, "slow_request", {});
  EXPECT_NE(out.text().find("level=warning msg=slow_request\n"), std::string::npos) << out.text();
  write_batched(Level::error, "broken_request", {});
  EXPECT_NE(out.text().find("level=error msg=broken_request\n"), std::string::npos) << out.text();
}

TEST(Log, ABatchedLineAloneStillComesOutSoon) {
  init(Level::info);
  CapturedStdout out;
  write_batched(Level::info, "request", {{"path", "/alone"}});
  EXPECT_TRUE(out.wait_for("msg=request path=/alone\n", 5s)) << out.text();
}

TEST(Log, BatchedLinesBelowTheLevelAreDropped) {
  init(Level::warn);
  CapturedStdout out;
  write_batched(Level::info, "request", {{"path", "/quiet"}});
  flush();
  EXPECT_EQ(out.text().find("/quiet"), std::string::npos) << out.text();
  init(Level::info);
}

}  // namespace
}  // namespace common::log
