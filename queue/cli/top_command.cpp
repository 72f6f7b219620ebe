// queuectl top: the queues that need a look first (deepest, then oldest), redrawn every
// --interval seconds with plain ANSI (cursor home, clear screen) until Ctrl-C, --count
// refreshes, or once with --once (no escape codes: for scripts and tests).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <thread>

#include "queue/cli/commands.h"
#include "queue/cli/paging.h"
#include "queue/cli/stats_view.h"
#include "queue/cli/text_views.h"

namespace queue::cli {
namespace {

constexpr const char* clear_screen = "\x1b[H\x1b[2J";

struct TopFlags {
  std::string prefix;
  int rows = 20;
  int max_queues = 1000;
  double interval_s = 2;
  int count = 0;  // 0: until interrupted
  bool once = false;
};

std::int64_t depth(const contract::QueueInfo& queue) {
  return queue.stats.visible + queue.stats.in_flight + queue.stats.delayed;
}

std::vector<contract::QueueInfo> busiest(std::vector<contract::QueueInfo> queues, int rows) {  // a copy, sorted
  std::stable_sort(queues.begin(), queues.end(), [](const auto& a, const auto& b) {
    if (depth(a) != depth(b)) return depth(a) > depth(b);
    return a.stats.oldest_age_s > b.stats.oldest_age_s;
  });
  if (queues.size() > static_cast<std::size_t>(rows)) queues.resize(static_cast<std::size_t>(rows));
  return queues;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One refresh: the header says when and how many queues exist beyond the rows shown.
void draw(Context& context, const TopFlags& flags, bool redraw) {
  std::vector<contract::QueueInfo> queues = describe_queues(context, flags.prefix, flags.max_queues);
  const std::size_t all = queues.size();
  Report report = stats_report(busiest(queues, flags.rows), queues);
  const std::int64_t at = now_ms();
  report.json.as_object()["at_ms"] = at;
  report.json.as_object()["queues_total"] = all;
  report.text = std::string(redraw && context.settings().format == Format::table ? clear_screen : "") + "queuectl top  " +
                context.settings().url + "  " + format_time_ms(at) + "  " + std::to_string(all) +
                " queues, by depth then oldest age\n\n" + report.text;
  context.emit(report);
}

void top(Context& context, const TopFlags& flags) {
  const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(flags.interval_s));
  for (int refresh = 1;; ++refresh) {
    draw(context, flags, !flags.once);
    if (flags.once || refresh == flags.count) return;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace

void add_top_command(CLI::App& root, Action& chosen) {
  auto flags = std::make_shared<TopFlags>();
  CLI::App& verb = *root.add_subcommand("top", "a refreshing table of queues by depth and oldest age");
  verb.add_option("--prefix", flags->prefix, "only queues whose name starts with this");
  verb.add_option("--rows", flags->rows, "queues shown")->check(CLI::Range(1, 10'000))->capture_default_str();
  verb.add_option("--max-queues", flags->max_queues, "look at most at this many queues")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  verb.add_option("-n,--interval", flags->interval_s, "seconds between refreshes")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  verb.add_option("--count", flags->count, "stop after this many refreshes (0: at Ctrl-C)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  verb.add_flag("--once", flags->once, "print one table without escape codes and exit");
  verb.callback([&chosen, flags] { chosen = [flags](Context& context) { top(context, *flags); }; });
}

}  // namespace queue::cli
