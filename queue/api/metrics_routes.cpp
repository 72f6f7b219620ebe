#include "queue/api/metrics_routes.h"

#include <utility>

#include "queue/api/errors.h"
#include "queue/api/reply.h"
#include "queue/api/serving_guard.h"
#include "web/request_metrics.h"

namespace queue::api {

web::Blueprint create_metrics_blueprint(std::shared_ptr<Runtime> runtime, std::shared_ptr<const Authorizer> authorizer,
                                        std::shared_ptr<QueueMetrics> metrics, std::size_t max_queues,
                                        HostMetrics host_metrics) {
  web::Blueprint blueprint("queue_metrics", "/metrics");
  blueprint.error_handler(error_response);
  blueprint.before_serving(refuse_public_without_tokens(authorizer->enabled()));
  blueprint.route_async("GET", "", [runtime, authorizer, metrics, max_queues, host_metrics](
                                        web::Request& request, web::Responder responder) {
    Authorizer::authorize(authorizer->authenticate(request), Access::metrics, "");
    metrics::TextWriter out;
    if (host_metrics) host_metrics(out.raw());
    metrics->write(out);
    out.family("queue_up", "gauge", "1 when Queue's storage is open and the service answers.");
    std::shared_ptr<core::QueueService> service = runtime->service();
    if (!service) {
      // Still a 200: Prometheus then records the outage as a value instead of a failed scrape.
      out.sample("queue_up", {}, std::uint64_t{0});
      responder.send(web::prometheus_response(out.take()));
      return;
    }
    service->snapshot(max_queues, [responder, out = std::move(out)](core::Result<core::MetricsSnapshot> result) mutable {
      out.sample("queue_up", {}, std::uint64_t{result.ok() ? 1u : 0u});
      if (result.ok()) QueueMetrics::write_queues(out, result.value());
      responder.send(web::prometheus_response(out.take()));
    });
  });
  return blueprint;
}

}  // namespace queue::api
