// Lists a page at a time: `--limit` (page size), `--cursor` (where a previous page
// ended) and `--all` (follow next_cursor to the end), shared by every verb that lists.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "queue/cli/context.h"
#include "queue/contract/types.h"

namespace queue::cli {

struct PageFlags {
  int limit = 100;
  std::string cursor;
  bool all = false;
};

// Adds --limit (1..max_limit), --cursor and --all to a verb.
void add_page_flags(CLI::App& verb, PageFlags& flags, int max_limit);

struct QueueNames {
  std::vector<std::string> names;
  std::optional<std::string> next_cursor;  // absent once the last page is in
};

// The queues named with `prefix`: one page, or with --all every page.
QueueNames list_queue_names(Context& context, const std::string& prefix, const PageFlags& flags);

// Every queue named with `prefix` (at most `max_queues`) with its attributes and stats,
// by name. A queue deleted between the listing and its lookup is left out.
std::vector<contract::QueueInfo> describe_queues(Context& context, const std::string& prefix, int max_queues);

}  // namespace queue::cli
