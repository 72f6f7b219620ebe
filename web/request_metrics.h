// Request series of one part of an app, by route pattern: `<prefix>_http_request_duration_seconds`
// (histogram) and `<prefix>_http_requests_total` (counter, by status).
//
// Each part (Queue's blueprints, Raptor's) keeps its own, under its own prefix, so a
// part that moves to another process (ADR-0066, Phase 4) takes its series with it.
// Labels are the route pattern, never the raw path: ids in paths would make one
// series per message.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "common/metrics/family.h"
#include "common/metrics/histogram.h"
#include "common/metrics/text_writer.h"
#include "web/blueprint.h"
#include "web/request.h"
#include "web/response.h"

namespace web {

// A scrape's answer: `exposition` with the Content-Type Prometheus negotiates for text.
Response prometheus_response(std::string exposition);

class RequestMetrics : public std::enable_shared_from_this<RequestMetrics> {
 public:
  // `prefix`: the series' namespace ("queue"); `served_by`: who answers, for HELP ("Queue's API").
  RequestMetrics(std::string prefix, std::string served_by);

  // Records each answered request of `blueprint` (an after hook; keeps this alive).
  void instrument(Blueprint& blueprint);
  void record(const Request& request, int status);
  void write(common::metrics::TextWriter& out) const;

 private:
  std::string duration_name_;
  std::string count_name_;
  std::string served_by_;
  common::metrics::Family<common::metrics::Histogram> duration_;  // {route, method}
  common::metrics::Family<std::atomic<std::uint64_t>> count_;  // {route, method, status}
};

}  // namespace web
