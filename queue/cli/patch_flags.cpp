#include "queue/cli/patch_flags.h"

#include "queue/cli/failure.h"

namespace queue::cli {

void add_patch_flags(CLI::App& verb, PatchFlags& flags) {
  verb.add_option("--visibility-timeout", flags.visibility_timeout_s, "lease length of a receive, seconds");
  verb.add_option("--retention", flags.retention_s, "how long a message is kept, seconds");
  verb.add_option("--delay", flags.delay_s, "default delay of a sent message, seconds");
  verb.add_option("--max-message-bytes", flags.max_message_bytes, "largest message body");
  verb.add_option("--dedup-window", flags.dedup_window_s, "how long a dedup_id is remembered, seconds");
  auto* dead_letter = verb.add_option("--dead-letter", flags.dead_letter_queue,
                                      "dead-letter queue (with --max-receives)");
  verb.add_option("--max-receives", flags.max_receives, "deliveries before a message is dead-lettered");
  verb.add_flag("--no-dead-letter", flags.no_dead_letter, "remove the dead-letter policy")->excludes(dead_letter);
}

contract::QueuePatch to_patch(const PatchFlags& flags) {
  contract::QueuePatch patch;
  patch.visibility_timeout_s = flags.visibility_timeout_s;
  patch.retention_s = flags.retention_s;
  patch.delay_s = flags.delay_s;
  patch.max_message_bytes = flags.max_message_bytes;
  patch.dedup_window_s = flags.dedup_window_s;
  if (flags.dead_letter_queue.has_value() != flags.max_receives.has_value()) {
    throw usage_failure("--dead-letter and --max-receives go together");
  }
  if (flags.dead_letter_queue) {
    patch.dead_letter = std::optional<contract::DeadLetterPolicy>(
        contract::DeadLetterPolicy{.queue = *flags.dead_letter_queue, .max_receives = *flags.max_receives});
  } else if (flags.no_dead_letter) {
    patch.dead_letter = std::optional<contract::DeadLetterPolicy>();
  }
  return patch;
}

}  // namespace queue::cli
