#include "queue/cli/exit_codes.h"

namespace queue::cli {

ExitCode exit_code_for(contract::ErrorCode code) {
  using contract::ErrorCode;
  switch (code) {
    case ErrorCode::invalid_request:
    case ErrorCode::payload_too_large:
      // The server refused what the command line asked for: the user can fix it there.
      return ExitCode::usage;
    case ErrorCode::unauthorized:
    case ErrorCode::forbidden:
      return ExitCode::auth;
    case ErrorCode::not_found:
    case ErrorCode::queue_not_found:
    case ErrorCode::message_not_found:
      return ExitCode::not_found;
    case ErrorCode::unavailable:
    case ErrorCode::deadline_exceeded:
      return ExitCode::unavailable;
    default:
      return ExitCode::other;
  }
}

}  // namespace queue::cli
