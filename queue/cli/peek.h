// Peeking without side effects (no lease, no receive count): `messages peek` and
// `dlq peek` are the same call on a different queue, a page at a time.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "queue/cli/context.h"
#include "queue/cli/paging.h"

namespace queue::cli {

struct PeekFlags {
  std::string queue;
  std::string state = "visible";  // visible, in_flight or delayed
  PageFlags page{.limit = 10, .cursor = {}, .all = false};
};

// Adds the queue argument, --state, --limit, --cursor and --all.
void add_peek_flags(CLI::App& verb, PeekFlags& flags);
void peek(Context& context, const PeekFlags& flags);

}  // namespace queue::cli
