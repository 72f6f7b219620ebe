// queuectl's command table: each noun adds its verbs to the parser, and a verb's
// callback stores in `chosen` what to run once the whole command line parsed.
#pragma once

#include <CLI/CLI.hpp>

#include "queue/cli/context.h"

namespace queue::cli {

void add_queues_commands(CLI::App& root, Action& chosen);    // queues_commands.cpp
void add_messages_commands(CLI::App& root, Action& chosen);  // messages_commands.cpp
void add_dlq_commands(CLI::App& root, Action& chosen);       // dlq_commands.cpp
void add_stats_command(CLI::App& root, Action& chosen);      // stats_commands.cpp
void add_top_command(CLI::App& root, Action& chosen);        // top_command.cpp
void add_health_command(CLI::App& root, Action& chosen);     // health_command.cpp

// Destructive verbs (delete, purge, redrive) run only with --yes; without it they fail
// with a usage failure saying so, before anything is sent.
void add_yes_flag(CLI::App& verb, bool& yes);
void require_yes(bool yes, const std::string& what);

}  // namespace queue::cli
