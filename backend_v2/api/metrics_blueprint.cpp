#include "backend_v2/api/metrics_blueprint.h"

#include <string_view>
#include <utility>

#include "backend_v2/api/errors.h"
#include "common/secrets.h"
#include "web/error.h"
#include "web/request_metrics.h"

namespace raptor::api {
namespace {

bool is_loopback(std::string_view address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

void check_access(const web::Request& request, const std::string& token) {
  if (token.empty()) {
    if (!is_loopback(request.remote_address())) {
      throw web::HttpError(403, "forbidden", "GET /metrics answers loopback clients only unless RAPTOR_METRICS_TOKEN is set");
    }
    return;
  }
  constexpr std::string_view scheme = "Bearer ";
  const std::string_view authorization = request.header("Authorization").value_or("");
  if (!authorization.starts_with(scheme) || !common::constant_time_equal(authorization.substr(scheme.size()), token)) {
    throw web::HttpError(401, "unauthorized", "GET /metrics needs the bearer token RAPTOR_METRICS_TOKEN");
  }
}

}  // namespace

web::Blueprint create_metrics_blueprint(std::shared_ptr<const RaptorMetrics> metrics, std::string token) {
  web::Blueprint blueprint("raptor_metrics", "/metrics");
  blueprint.error_handler(error_response);
  blueprint.route("GET", "", [metrics = std::move(metrics), token = std::move(token)](web::Request& request) {
    check_access(request, token);
    std::string text;
    metrics->write(text);
    return web::prometheus_response(std::move(text));
  });
  return blueprint;
}

}  // namespace raptor::api
