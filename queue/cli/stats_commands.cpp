// queuectl stats [QUEUE...]: depth by state and oldest age, per queue and in total.
#include <memory>

#include <boost/json/array.hpp>

#include "queue/cli/commands.h"
#include "queue/cli/failure.h"
#include "queue/cli/json_views.h"
#include "queue/cli/paging.h"
#include "queue/cli/stats_view.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

struct StatsFlags {
  std::vector<std::string> queues;
  std::string prefix;
  int max_queues = 1000;
};

void stats(Context& context, const StatsFlags& flags) {
  std::vector<contract::QueueInfo> queues;
  if (flags.queues.empty()) {
    queues = describe_queues(context, flags.prefix, flags.max_queues);
  } else {
    for (const std::string& name : flags.queues) queues.push_back(expect(context.client().get_queue(name, context.call())));
  }
  context.emit(stats_report(queues, queues));
}

}  // namespace

void add_stats_command(CLI::App& root, Action& chosen) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App& verb = *root.add_subcommand("stats", "messages by state and oldest age, per queue and in total");
  verb.add_option("queues", flags->queues, "these queues (default: every queue, by name)");
  verb.add_option("--prefix", flags->prefix, "only queues whose name starts with this");
  verb.add_option("--max-queues", flags->max_queues, "look at most at this many queues")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  verb.callback([&chosen, flags] { chosen = [flags](Context& context) { stats(context, *flags); }; });
}

}  // namespace queue::cli
