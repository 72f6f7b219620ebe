#include "queue/cli/peek.h"

#include <boost/json/array.hpp>

#include "queue/cli/failure.h"
#include "queue/cli/json_views.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

constexpr int largest_peek = 100;  // the API's most messages per peek

}  // namespace

void add_peek_flags(CLI::App& verb, PeekFlags& flags) {
  verb.add_option("queue", flags.queue, "queue name")->required();
  verb.add_option("--state", flags.state, "visible, in_flight or delayed")
      ->check(CLI::IsMember({"visible", "in_flight", "delayed"}))
      ->capture_default_str();
  verb.add_option("--limit", flags.limit, "most messages to show")->check(CLI::Range(1, largest_peek))->capture_default_str();
}

void peek(Context& context, const PeekFlags& flags) {
  const contract::PeekState state = flags.state == "in_flight" ? contract::PeekState::in_flight
                                    : flags.state == "delayed" ? contract::PeekState::delayed
                                                               : contract::PeekState::visible;
  contract::PeekRequest request{.state = state, .limit = flags.limit};
  std::vector<contract::PeekedMessage> messages = expect(context.client().peek(flags.queue, request, context.call()));
  boost::json::array json;
  for (const auto& message : messages) json.push_back(peeked_json(message));
  context.emit({boost::json::object{{"queue", flags.queue}, {"messages", std::move(json)}}, peeked_table(messages).render()});
}

}  // namespace queue::cli
