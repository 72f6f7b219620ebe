#include "queue/cli/peek.h"

#include <boost/json/array.hpp>

#include "queue/cli/failure.h"
#include "queue/cli/json_views.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

constexpr int largest_peek = 100;  // the API's most messages per page

}  // namespace

void add_peek_flags(CLI::App& verb, PeekFlags& flags) {
  verb.add_option("queue", flags.queue, "queue name")->required();
  verb.add_option("--state", flags.state, "visible, in_flight or delayed")
      ->check(CLI::IsMember({"visible", "in_flight", "delayed"}))
      ->capture_default_str();
  add_page_flags(verb, flags.page, largest_peek);
}

void peek(Context& context, const PeekFlags& flags) {
  contract::PeekRequest request{.state = contract::parse_peek_state(flags.state).value_or(contract::PeekState::visible), .limit = flags.page.limit, .cursor = flags.page.cursor};
  std::vector<contract::PeekedMessage> messages;
  std::optional<std::string> next_cursor;
  for (;;) {
    contract::PeekPage page = expect(context.client().peek(flags.queue, request, context.call()));
    messages.insert(messages.end(), page.messages.begin(), page.messages.end());
    next_cursor = page.next_cursor;
    if (!flags.page.all || !next_cursor || next_cursor->empty()) break;
    request.cursor = *next_cursor;
  }
  boost::json::array json;
  for (const auto& message : messages) json.push_back(peeked_json(message));
  std::string text = peeked_table(messages).render();
  if (next_cursor && !next_cursor->empty()) text += "more: --cursor " + *next_cursor + " (or --all)\n";
  context.emit({boost::json::object{{"queue", flags.queue}, {"messages", std::move(json)},
                                    {"next_cursor", string_or_null(next_cursor)}},
                std::move(text)});
}

}  // namespace queue::cli
