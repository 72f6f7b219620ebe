// --yes: what stands between a typo and a deleted queue.
#include "queue/cli/commands.h"
#include "queue/cli/failure.h"

namespace queue::cli {

void add_yes_flag(CLI::App& verb, bool& yes) {
  verb.add_flag("-y,--yes", yes, "confirm: this cannot be undone");
}

void require_yes(bool yes, const std::string& what) {
  if (!yes) throw usage_failure(what + " and cannot be undone: add --yes to confirm");
}

}  // namespace queue::cli
