#include "tests/cli/queuectl.h"

#include <atomic>
#include <stdexcept>

#include <boost/json/parse.hpp>

namespace queuectl_test {
namespace {

boost::json::value parse(const std::string& text) {
  try {
    return boost::json::parse(text);
  } catch (const std::exception& error) {
    throw std::runtime_error("not JSON (" + std::string(error.what()) + "): " + text);
  }
}

}  // namespace

boost::json::value Outcome::json() const { return parse(out); }
boost::json::value Outcome::error_json() const { return parse(err); }

std::string url_of(unsigned short port) { return "http://127.0.0.1:" + std::to_string(port); }

Outcome queuectl(const test_support::TempDir& dir, std::vector<std::string> args, test_support::Environment env,
             std::string input) {
  static std::atomic<int> runs{0};
  const std::string prefix = dir.file("queuectl-" + std::to_string(++runs));
  test_support::CommandResult result =
      test_support::run_command(QUEUECTL_BINARY, std::move(args), std::move(env), prefix, std::chrono::seconds(60), input);
  return Outcome{result.status.exited ? result.status.code : -1, std::move(result.out), std::move(result.err)};
}

}  // namespace queuectl_test
