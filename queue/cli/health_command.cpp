// queuectl health: can this URL and token reach a Queue whose storage is open? The
// contract has no health call, so it asks for one queue name: that answer needs the
// network, the token (401/403 otherwise) and the storage (503 while it is down).
#include <chrono>

#include "queue/cli/commands.h"
#include "queue/cli/failure.h"

namespace queue::cli {
namespace {

void health(Context& context) {
  const auto start = std::chrono::steady_clock::now();
  expect(context.client().list_queues({.prefix = "", .limit = 1, .cursor = ""}, context.call()));
  const auto latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  context.emit({boost::json::object{{"status", "ok"}, {"url", context.settings().url}, {"latency_ms", latency_ms}},
                "ok  " + context.settings().url + "  " + std::to_string(latency_ms) + " ms\n"});
}

}  // namespace

void add_health_command(CLI::App& root, Action& chosen) {
  root.add_subcommand("health", "check that Queue answers (network, token, storage)")->callback([&chosen] {
    chosen = [](Context& context) { health(context); };
  });
}

}  // namespace queue::cli
