// How a command gives up: it throws a Failure, and main turns it into a message on
// stderr and an exit code. `expect` unwraps a contract Result, so each verb reads as
// its happy path.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "queue/cli/exit_codes.h"
#include "queue/contract/result.h"

namespace queue::cli {

class Failure : public std::runtime_error {
 public:
  // `code` is the machine-readable reason: an API error code, or "usage" / "invalid_output".
  Failure(ExitCode exit, std::string code, const std::string& message, std::string request_id = {})
      : std::runtime_error(message), exit_(exit), code_(std::move(code)), request_id_(std::move(request_id)) {}

  ExitCode exit() const { return exit_; }
  const std::string& code() const { return code_; }
  const std::string& request_id() const { return request_id_; }

 private:
  ExitCode exit_;
  std::string code_;
  std::string request_id_;
};

// A usage problem found by queuectl itself (exit 2).
inline Failure usage_failure(const std::string& message) { return Failure(ExitCode::usage, "usage", message); }

inline Failure failure_from(const contract::Error& error) {
  return Failure(exit_code_for(error.code), std::string(contract::to_string(error.code)), error.message,
                 error.request_id);
}

template <typename T>
T expect(contract::Result<T> result) {
  if (!result.ok()) throw failure_from(result.error());
  return std::move(result).value();
}

}  // namespace queue::cli
