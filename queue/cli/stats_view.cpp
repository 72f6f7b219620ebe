#include "queue/cli/stats_view.h"

#include <algorithm>

#include <boost/json/array.hpp>

#include "queue/cli/json_views.h"
#include "queue/cli/text_views.h"

namespace queue::cli {

Report stats_report(const std::vector<contract::QueueInfo>& shown, const std::vector<contract::QueueInfo>& counted) {
  boost::json::array rows;
  for (const contract::QueueInfo& queue : shown) rows.push_back(queue_stats_row_json(queue));
  contract::QueueStats total;
  for (const contract::QueueInfo& queue : counted) {
    total.visible += queue.stats.visible;
    total.in_flight += queue.stats.in_flight;
    total.delayed += queue.stats.delayed;
    total.oldest_age_s = std::max(total.oldest_age_s, queue.stats.oldest_age_s);
  }
  boost::json::object totals{{"queues", counted.size()}};
  for (auto& [key, value] : stats_json(total)) totals[key] = value;

  std::vector<contract::QueueInfo> with_total = shown;
  with_total.push_back(contract::QueueInfo{.name = "TOTAL (" + std::to_string(counted.size()) + " queues)",
                                           .attributes = {}, .stats = total, .created_at_ms = 0});
  return {boost::json::object{{"queues", std::move(rows)}, {"totals", std::move(totals)}},
          stats_table(with_total).render()};
}

}  // namespace queue::cli
