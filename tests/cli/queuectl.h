// Running the real `queuectl` binary from a test: its exit code, stdout and stderr apart.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "tests/integration/temp_dir.h"
#include "tests/support/process.h"

namespace queuectl_test {

struct Outcome {
  int code = -1;    // the exit code; -1 when a signal ended it
  std::string out;  // stdout
  std::string err;  // stderr

  // stdout (or stderr) parsed as one JSON document; throws naming the text when it is not.
  boost::json::value json() const;
  boost::json::value error_json() const;
};

// "http://127.0.0.1:<port>"
std::string url_of(unsigned short port);

// Runs queuectl with exactly `env` (QUEUE_URL, QUEUE_TOKEN, ...) and `input` on stdin;
// a run that takes over 60 s is killed (and fails the test through its code).
Outcome queuectl(const test_support::TempDir& dir, std::vector<std::string> args, test_support::Environment env,
             std::string input = {});

}  // namespace queuectl_test
