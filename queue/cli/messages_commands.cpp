// queuectl messages send|peek|get|receive|ack
#include <iostream>
#include <memory>

#include <boost/json/array.hpp>

#include "queue/cli/commands.h"
#include "queue/cli/failure.h"
#include "queue/cli/json_views.h"
#include "queue/cli/peek.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

constexpr std::size_t largest_send = 100;  // the API's most messages per send

struct SendFlags {
  std::string queue;
  std::vector<std::string> bodies;
  bool from_stdin = false;
  std::vector<std::string> attributes;  // key=value
  std::optional<int> delay_s;
  std::optional<std::string> group_id;
  std::optional<std::string> dedup_id;
};

contract::MessageAttributes parse_attributes(const std::vector<std::string>& pairs) {
  contract::MessageAttributes attributes;
  for (const std::string& pair : pairs) {
    std::size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) throw usage_failure("--attribute wants key=value, got '" + pair + "'");
    attributes[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return attributes;
}

std::vector<std::string> bodies_of(const SendFlags& flags) {
  if (flags.from_stdin == !flags.bodies.empty()) throw usage_failure("give message bodies as arguments or --stdin, not both");
  if (!flags.from_stdin) return flags.bodies;
  std::vector<std::string> bodies;
  for (std::string line; std::getline(std::cin, line);) bodies.push_back(line);
  if (bodies.empty()) throw usage_failure("--stdin: no lines to send");
  return bodies;
}

// Batches of 100, each all or nothing: a failure stops at its batch (the ids of the
// batches before it were sent and are on stderr's message).
void send(Context& context, const SendFlags& flags) {
  std::vector<std::string> bodies = bodies_of(flags);
  if (flags.dedup_id && bodies.size() > 1) throw usage_failure("--dedup-id names one message: send one body with it");
  const contract::MessageAttributes attributes = parse_attributes(flags.attributes);
  std::vector<std::string> ids;
  for (std::size_t first = 0; first < bodies.size(); first += largest_send) {
    std::vector<contract::OutgoingMessage> batch;
    for (std::size_t i = first; i < std::min(bodies.size(), first + largest_send); ++i) {
      batch.push_back({.body = bodies[i], .delay_s = flags.delay_s, .attributes = attributes,
                       .group_id = flags.group_id, .dedup_id = flags.dedup_id});
    }
    contract::Result<contract::SendResult> sent = context.client().send(flags.queue, std::move(batch), context.call());
    if (!sent.ok() && !ids.empty()) {
      Failure failure = failure_from(sent.error());
      throw Failure(failure.exit(), failure.code(),
                    failure.what() + std::string(" (after sending ") + std::to_string(ids.size()) + " messages)",
                    failure.request_id());
    }
    for (std::string& id : expect(std::move(sent)).ids) ids.push_back(std::move(id));
  }
  boost::json::array json;
  Table table({"ID"});
  for (const std::string& id : ids) {
    json.push_back(boost::json::string(id));
    table.add_row({id});
  }
  context.emit({boost::json::object{{"queue", flags.queue}, {"ids", std::move(json)}}, table.render()});
}

struct GetFlags {
  std::string queue;
  std::string id;
};

// One message by the id its send answered, in whatever state, without touching it.
void get(Context& context, const GetFlags& flags) {
  contract::PeekedMessage message = expect(context.client().get_message(flags.queue, flags.id, context.call()));
  context.emit({peeked_json(message), peeked_table({message}).render()});
}

struct ReceiveFlags {
  std::string queue;
  int max = 1;
  int wait_s = 0;
  std::optional<int> visibility_timeout_s;
};

void receive(Context& context, const ReceiveFlags& flags) {
  contract::ReceiveRequest request{.max = flags.max, .visibility_timeout_s = flags.visibility_timeout_s, .wait_s = flags.wait_s};
  std::vector<contract::ReceivedMessage> messages =
      expect(context.client().receive(flags.queue, request, context.call(std::chrono::seconds(flags.wait_s))));
  boost::json::array json;
  for (const auto& message : messages) json.push_back(received_json(message));
  context.emit({boost::json::object{{"queue", flags.queue}, {"messages", std::move(json)}}, received_table(messages).render()});
}

struct AckFlags {
  std::string queue;
  std::vector<std::string> receipts;
};

// The answer is printed either way; a receipt that could not be acked makes the exit code 1.
void ack(Context& context, const AckFlags& flags) {
  contract::AckResult result = expect(context.client().ack(flags.queue, flags.receipts, context.call()));
  std::string text = "acked " + std::to_string(result.acked) + "\n";
  for (const auto& failed : result.failed) text += "failed " + failed.receipt + ": " + std::string(contract::to_string(failed.code)) + "\n";
  context.emit({boost::json::object{{"queue", flags.queue}, {"acked", result.acked}, {"failed", receipt_failures_json(result.failed)}},
                std::move(text)});
  if (!result.failed.empty()) {
    throw Failure(ExitCode::other, "receipt_invalid",
                  std::to_string(result.failed.size()) + " receipt(s) could not be acked (stale, malformed or already acked)");
  }
}

}  // namespace

void add_messages_commands(CLI::App& root, Action& chosen) {
  CLI::App& noun = *root.add_subcommand("messages", "send, peek at, look up, receive and ack messages");
  noun.require_subcommand(1);

  {
    auto flags = std::make_shared<SendFlags>();
    CLI::App& verb = *noun.add_subcommand("send", "send messages (one per body, 100 to a request)");
    verb.add_option("queue", flags->queue, "queue name")->required();
    verb.add_option("body", flags->bodies, "message bodies");
    verb.add_flag("--stdin", flags->from_stdin, "send each line of standard input as a message");
    // One key=value per -a, so what follows is a body again.
    verb.add_option("-a,--attribute", flags->attributes, "message attribute key=value (repeatable)")
        ->allow_extra_args(false);
    verb.add_option("--delay", flags->delay_s, "seconds before the messages become visible");
    verb.add_option("--group", flags->group_id, "message group (FIFO queues)");
    verb.add_option("--dedup-id", flags->dedup_id, "deduplication id (one message)");
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { send(context, *flags); }; });
  }
  {
    auto flags = std::make_shared<PeekFlags>();
    CLI::App& verb = *noun.add_subcommand("peek", "look at messages by state without receiving them");
    add_peek_flags(verb, *flags);
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { peek(context, *flags); }; });
  }
  {
    auto flags = std::make_shared<GetFlags>();
    CLI::App& verb = *noun.add_subcommand("get", "one message by its id, whatever its state, without receiving it");
    verb.add_option("queue", flags->queue, "queue name")->required();
    verb.add_option("id", flags->id, "the id its send answered")->required();
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { get(context, *flags); }; });
  }
  {
    auto flags = std::make_shared<ReceiveFlags>();
    CLI::App& verb = *noun.add_subcommand("receive", "lease messages; ack them with their receipts");
    verb.add_option("queue", flags->queue, "queue name")->required();
    verb.add_option("--max", flags->max, "most messages")->check(CLI::Range(1, 100))->capture_default_str();
    verb.add_option("--wait", flags->wait_s, "long poll up to this many seconds")->check(CLI::Range(0, 20))->capture_default_str();
    verb.add_option("--visibility-timeout", flags->visibility_timeout_s, "lease length, seconds (default: the queue's)");
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { receive(context, *flags); }; });
  }
  {
    auto flags = std::make_shared<AckFlags>();
    CLI::App& verb = *noun.add_subcommand("ack", "delete received messages by their receipts");
    verb.add_option("queue", flags->queue, "queue name")->required();
    verb.add_option("receipts", flags->receipts, "receipts from a receive")->required();
    verb.callback([&chosen, flags] { chosen = [flags](Context& context) { ack(context, *flags); }; });
  }
}

}  // namespace queue::cli
