#include "queue/cli/paging.h"

#include <algorithm>

#include "queue/cli/failure.h"

namespace queue::cli {
namespace {

constexpr int largest_list_page = 1000;  // the API's most names per page

}  // namespace

void add_page_flags(CLI::App& verb, PageFlags& flags, int max_limit) {
  verb.add_option("--limit", flags.limit, "items per page")->check(CLI::Range(1, max_limit))->capture_default_str();
  verb.add_option("--cursor", flags.cursor, "continue where a previous page's next_cursor left off");
  verb.add_flag("--all", flags.all, "follow next_cursor until the last page");
}

QueueNames list_queue_names(Context& context, const std::string& prefix, const PageFlags& flags) {
  QueueNames result;
  contract::ListQueuesRequest request{.prefix = prefix, .limit = flags.limit, .cursor = flags.cursor};
  for (;;) {
    contract::QueueList page = expect(context.client().list_queues(request, context.call()));
    result.names.insert(result.names.end(), page.names.begin(), page.names.end());
    result.next_cursor = page.next_cursor;
    if (!flags.all || !page.next_cursor || page.next_cursor->empty()) break;
    request.cursor = *page.next_cursor;
  }
  if (result.next_cursor && result.next_cursor->empty()) result.next_cursor.reset();
  return result;
}

std::vector<contract::QueueInfo> describe_queues(Context& context, const std::string& prefix, int max_queues) {
  std::vector<contract::QueueInfo> queues;
  PageFlags flags{.limit = std::min(max_queues, largest_list_page), .cursor = {}, .all = false};
  QueueNames names;
  do {
    QueueNames page = list_queue_names(context, prefix, flags);
    names.names.insert(names.names.end(), page.names.begin(), page.names.end());
    flags.cursor = page.next_cursor.value_or("");
  } while (!flags.cursor.empty() && static_cast<int>(names.names.size()) < max_queues);
  if (static_cast<int>(names.names.size()) > max_queues) names.names.resize(static_cast<std::size_t>(max_queues));

  for (const std::string& name : names.names) {
    contract::Result<contract::QueueInfo> info = context.client().get_queue(name, context.call());
    if (!info.ok() && info.error().code == contract::ErrorCode::queue_not_found) continue;
    queues.push_back(expect(std::move(info)));
  }
  return queues;
}

}  // namespace queue::cli
