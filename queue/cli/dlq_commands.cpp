// queuectl dlq peek|redrive: browsing a dead-letter queue and moving its messages back.
#include <memory>

#include "queue/cli/commands.h"
#include "queue/cli/failure.h"
#include "queue/cli/peek.h"

namespace queue::cli {
namespace {

constexpr std::int64_t largest_redrive = 10'000;  // the API's most messages per redrive
// --all stops after this many full rounds (10^6 messages at the default --max), so a
// dead-letter queue that refills as fast as it drains cannot keep queuectl running.
constexpr int most_redrive_rounds = 100;

struct RedriveFlags {
  std::string queue;
  std::optional<std::string> to;
  std::int64_t max = largest_redrive;
  bool all = false;
  bool yes = false;
};

void redrive(Context& context, const RedriveFlags& flags) {
  require_yes(flags.yes, "dlq redrive moves messages out of " + flags.queue);
  std::int64_t moved = 0;
  int rounds = 0;
  for (;;) {
    contract::RedriveRequest request{.to = flags.to, .max = flags.max};
    contract::RedriveResult result = expect(context.client().redrive(flags.queue, request, context.call()));
    moved += result.moved;
    ++rounds;
    if (!flags.all || result.moved < flags.max || rounds >= most_redrive_rounds) break;
  }
  std::string where = flags.to ? " to " + *flags.to : " to their source queues";
  context.emit({boost::json::object{{"queue", flags.queue}, {"moved", moved}},
                "moved " + std::to_string(moved) + " messages from " + flags.queue + where + "\n"});
}

}  // namespace

void add_dlq_commands(CLI::App& root, Action& chosen) {
  CLI::App& noun = *root.add_subcommand("dlq", "browse a dead-letter queue and redrive its messages");
  noun.require_subcommand(1);

  {
    auto flags = std::make_shared<PeekFlags>();
    CLI::App& verb = *noun.add_subcommand("peek", "look at a dead-letter queue's messages without receiving them");
    add_peek_flags(verb, *flags);
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { peek(context, *flags); }; });
  }
  {
    auto flags = std::make_shared<RedriveFlags>();
    CLI::App& verb = *noun.add_subcommand("redrive", "move dead letters back to their queues (needs --yes)");
    verb.add_option("queue", flags->queue, "the dead-letter queue")->required();
    verb.add_option("--to", flags->to, "move them here instead of each one's source queue");
    verb.add_option("--max", flags->max, "most messages per call")->check(CLI::Range(std::int64_t{1}, largest_redrive))->capture_default_str();
    verb.add_flag("--all", flags->all, "call again while a call moved --max messages");
    add_yes_flag(verb, flags->yes);
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { redrive(context, *flags); }; });
  }
}

}  // namespace queue::cli
