// The attribute flags of `queues create` and `queues update`, and the QueuePatch they make.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "queue/contract/types.h"

namespace queue::cli {

struct PatchFlags {
  std::optional<int> visibility_timeout_s;
  std::optional<int> retention_s;
  std::optional<int> delay_s;
  std::optional<int> max_message_bytes;
  std::optional<int> dedup_window_s;
  std::optional<std::string> dead_letter_queue;
  std::optional<int> max_receives;
  bool no_dead_letter = false;
};

void add_patch_flags(CLI::App& verb, PatchFlags& flags);

// Only what was given; a dead-letter policy needs both --dead-letter and --max-receives
// (else a usage failure). Ranges are the server's to check (invalid_request, exit 2).
contract::QueuePatch to_patch(const PatchFlags& flags);

}  // namespace queue::cli
