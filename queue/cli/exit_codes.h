// queuectl's exit codes: what failed, so scripts can branch without parsing text
// (docs/queuectl.md lists them).
#pragma once

#include "queue/contract/errors.h"

namespace queue::cli {

enum class ExitCode : int {
  ok = 0,
  other = 1,        // conflict, a receipt that could not be acked, a server bug, ...
  usage = 2,        // bad flags or arguments, a destructive verb without --yes, invalid_request
  auth = 3,         // unauthorized (401) or forbidden (403)
  not_found = 4,    // no such queue, or no such message
  unavailable = 5,  // nothing answered, Queue is starting or down, or the call timed out
};

// The exit code of a call that failed with `code`.
ExitCode exit_code_for(contract::ErrorCode code);

}  // namespace queue::cli
