// queuectl: Queue from the command line, over API v1's remote client (the contract's
// queue/remote), so it works against a queue-server or a Raptor with Queue mounted.
//
//   queuectl [--url URL] [--token TOKEN] [-o table|json] <noun> <verb> ...
//
// docs/queuectl.md lists every command, its JSON output and the exit codes.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "queue/cli/commands.h"
#include "queue/cli/context.h"
#include "queue/cli/failure.h"

namespace {

using queue::cli::ExitCode;

int exit_with(ExitCode code) { return static_cast<int>(code); }

}  // namespace

int main(int argc, char** argv) {
  using namespace queue::cli;
  Settings settings;
  Action chosen;

  CLI::App app{"queuectl: inspect and operate Queue (docs/queuectl.md)", "queuectl"};
  // Global flags may come after the noun and verb too (queuectl queues list -o json).
  app.fallthrough();
  app.require_subcommand(1);
  app.add_option("--url", settings.url, "Queue's base URL (API v1 at URL/api/v1)")
      ->envname("QUEUE_URL")
      ->capture_default_str();
  app.add_option("--token", settings.token, "bearer token (an entry of the server's QUEUE_API_TOKENS)")
      ->envname("QUEUE_TOKEN");
  std::string output = "table";
  app.add_option("-o,--output", output, "table (for people) or json (stable, for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str()
      // Set as soon as it is parsed, so that a later parse error is reported in it too.
      ->each([&settings](const std::string& value) { settings.format = value == "json" ? Format::json : Format::table; });
  app.add_option("--timeout", settings.timeout_s, "seconds each call may take")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();

  add_queues_commands(app, chosen);
  add_messages_commands(app, chosen);
  add_dlq_commands(app, chosen);
  add_stats_command(app, chosen);
  add_top_command(app, chosen);
  add_health_command(app, chosen);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    print_failure(usage_failure(error.what()), settings.format, std::cerr);
    if (settings.format == Format::table) std::cerr << "run 'queuectl --help' (or 'queuectl <noun> --help') for usage\n";
    return exit_with(ExitCode::usage);
  }

  Context context(settings, std::cout);
  try {
    chosen(context);
    return exit_with(ExitCode::ok);
  } catch (const Failure& failure) {
    print_failure(failure, settings.format, std::cerr);
    return exit_with(failure.exit());
  } catch (const std::exception& error) {
    print_failure(Failure(ExitCode::other, "internal_error", error.what()), settings.format, std::cerr);
    return exit_with(ExitCode::other);
  }
}
