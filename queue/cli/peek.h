// Peeking without side effects (no lease, no receive count): `messages peek` and
// `dlq peek` are the same call on a different queue.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "queue/cli/context.h"

namespace queue::cli {

struct PeekFlags {
  std::string queue;
  std::string state = "visible";  // visible, in_flight or delayed
  int limit = 10;
};

// Adds the queue argument, --state and --limit.
void add_peek_flags(CLI::App& verb, PeekFlags& flags);
void peek(Context& context, const PeekFlags& flags);

}  // namespace queue::cli
