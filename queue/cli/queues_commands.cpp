// queuectl queues list|show|create|update|pause|resume|delete|purge
#include <memory>

#include <boost/json/array.hpp>

#include "queue/cli/commands.h"
#include "queue/cli/failure.h"
#include "queue/cli/json_views.h"
#include "queue/cli/paging.h"
#include "queue/cli/patch_flags.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

constexpr int largest_list_page = 1000;

struct ListFlags {
  std::string prefix;
  PageFlags page;
};

void list(Context& context, const ListFlags& flags) {
  QueueNames names = list_queue_names(context, flags.prefix, flags.page);
  boost::json::array json_names;
  Table table({"QUEUE"});
  for (const std::string& name : names.names) {
    json_names.push_back(boost::json::string(name));
    table.add_row({name});
  }
  std::string text = table.render();
  if (names.next_cursor) text += "more: --cursor " + *names.next_cursor + " (or --all)\n";
  context.emit({boost::json::object{{"queues", std::move(json_names)}, {"next_cursor", string_or_null(names.next_cursor)}},
                std::move(text)});
}

void show(Context& context, const std::string& name) {
  contract::QueueInfo info = expect(context.client().get_queue(name, context.call()));
  context.emit({queue_json(info), queue_table(info).render()});
}

void put(Context& context, const std::string& name, contract::QueuePatch patch) {
  contract::PutQueueResult result = expect(context.client().put_queue(name, std::move(patch), context.call()));
  std::string text = std::string(result.created ? "created " : "updated ") + name + "\n" + queue_table(result.queue).render();
  context.emit({boost::json::object{{"created", result.created}, {"queue", queue_json(result.queue)}}, std::move(text)});
}

// PUT creates a missing queue; an update must not, so it looks first (a queue deleted
// in between is created again: the API has no conditional update).
void update(Context& context, const std::string& name, contract::QueuePatch patch) {
  expect(context.client().get_queue(name, context.call()));
  put(context, name, std::move(patch));
}

// A paused queue accepts sends and answers receives with nothing. Like update, it
// never creates the queue it names.
void set_paused(Context& context, const std::string& name, bool paused) {
  expect(context.client().get_queue(name, context.call()));
  contract::QueuePatch patch;
  patch.paused = paused;
  contract::PutQueueResult result = expect(context.client().put_queue(name, std::move(patch), context.call()));
  context.emit({boost::json::object{{"queue", queue_json(result.queue)}},
                std::string(paused ? "paused " : "resumed ") + name + "\n"});
}

void remove(Context& context, const std::string& name) {
  expect(context.client().delete_queue(name, context.call()));
  context.emit({boost::json::object{{"deleted", name}}, "deleted " + name + "\n"});
}

void purge(Context& context, const std::string& name) {
  contract::PurgeResult result = expect(context.client().purge(name, context.call()));
  context.emit({boost::json::object{{"queue", name}, {"purged", result.purged}},
                "purged " + std::to_string(result.purged) + " messages from " + name + "\n"});
}

CLI::App& add_verb(CLI::App& noun, const std::string& name, const std::string& help, std::string& queue) {
  CLI::App& verb = *noun.add_subcommand(name, help);
  verb.add_option("queue", queue, "queue name")->required();
  return verb;
}

}  // namespace

void add_queues_commands(CLI::App& root, Action& chosen) {
  CLI::App& noun = *root.add_subcommand("queues", "list, inspect, create, change and delete queues");
  noun.require_subcommand(1);

  {
    auto flags = std::make_shared<ListFlags>();
    CLI::App& verb = *noun.add_subcommand("list", "queue names, in order, a page at a time");
    verb.add_option("--prefix", flags->prefix, "only names starting with this");
    add_page_flags(verb, flags->page, largest_list_page);
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { list(context, *flags); }; });
  }
  {
    auto name = std::make_shared<std::string>();
    add_verb(noun, "show", "a queue's attributes and stats", *name)
        .callback([&chosen, name] { chosen = [name](Context& context) { show(context, *name); }; });
  }
  for (const bool creating : {true, false}) {
    auto name = std::make_shared<std::string>();
    auto flags = std::make_shared<PatchFlags>();
    CLI::App& verb = add_verb(noun, creating ? "create" : "update",
                              creating ? "create a queue (or set attributes of an existing one)"
                                       : "change attributes of an existing queue",
                              *name);
    add_patch_flags(verb, *flags);
    verb.callback([&chosen, name, flags, creating] {
      chosen = [name, flags, creating](Context& context) {
        (creating ? put : update)(context, *name, to_patch(*flags));
      };
    });
  }
  for (const bool pausing : {true, false}) {
    auto name = std::make_shared<std::string>();
    add_verb(noun, pausing ? "pause" : "resume",
             pausing ? "stop handing out messages (sends are still accepted)" : "hand out messages again", *name)
        .callback([&chosen, name, pausing] {
          chosen = [name, pausing](Context& context) { set_paused(context, *name, pausing); };
        });
  }
  {
    auto name = std::make_shared<std::string>();
    auto yes = std::make_shared<bool>(false);
    CLI::App& verb = add_verb(noun, "delete", "delete a queue and its messages (needs --yes)", *name);
    add_yes_flag(verb, *yes);
    verb.callback([&chosen, name, yes] {
      chosen = [name, yes](Context& context) {
        require_yes(*yes, "queues delete removes " + *name + " and its messages");
        remove(context, *name);
      };
    });
  }
  {
    auto name = std::make_shared<std::string>();
    auto yes = std::make_shared<bool>(false);
    CLI::App& verb = add_verb(noun, "purge", "delete every message of a queue (needs --yes)", *name);
    add_yes_flag(verb, *yes);
    verb.callback([&chosen, name, yes] {
      chosen = [name, yes](Context& context) {
        require_yes(*yes, "queues purge deletes every message of " + *name);
        purge(context, *name);
      };
    });
  }
}

}  // namespace queue::cli
