#include "web/request_metrics.h"

#include <chrono>
#include <utility>

namespace web {
namespace {

using common::metrics::Labels;

// Requests that matched no route (404s under a blueprint's prefix) share one label value.
std::string route_label(const Request& request) {
  return request.route().empty() ? std::string("unmatched") : request.route();
}

}  // namespace

Response prometheus_response(std::string exposition) {
  Response response = Response::text(200, std::move(exposition));
  response.set_header("Content-Type", std::string(common::metrics::content_type));
  return response;
}

RequestMetrics::RequestMetrics(std::string prefix, std::string served_by)
    : duration_name_(prefix + "_http_request_duration_seconds"),
      count_name_(prefix + "_http_requests_total"),
      served_by_(std::move(served_by)),
      duration_([] { return std::make_unique<common::metrics::Histogram>(common::metrics::duration_bounds()); }),
      count_([] { return std::make_unique<std::atomic<std::uint64_t>>(0); }) {}

void RequestMetrics::instrument(Blueprint& blueprint) {
  blueprint.after_request([self = shared_from_this()](const Request& request, Response& response) {
    self->record(request, response.status);
  });
}

void RequestMetrics::record(const Request& request, int status) {
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - request.received_at();
  const std::string route = route_label(request);
  duration_.child(Labels{{"route", route}, {"method", request.method()}}).observe(took.count());
  count_.child(Labels{{"route", route}, {"method", request.method()}, {"status", std::to_string(status)}})
      .fetch_add(1, std::memory_order_relaxed);
}

void RequestMetrics::write(common::metrics::TextWriter& out) const {
  out.family(duration_name_, "histogram",
             "Time from reading a request of " + served_by_ + " to answering it, by route pattern.");
  duration_.each([&](const Labels& labels, const common::metrics::Histogram& histogram) {
    histogram.write(out, duration_name_, labels);
  });
  out.family(count_name_, "counter", "Requests answered by " + served_by_ + ", by route pattern and status.");
  count_.each([&](const Labels& labels, const std::atomic<std::uint64_t>& count) {
    out.sample(count_name_, labels, count.load(std::memory_order_relaxed));
  });
}

}  // namespace web
