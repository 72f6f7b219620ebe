#include "queue/api/readiness.h"

#include <string>

#include "queue/api/errors.h"

namespace queue::api {
namespace {

std::string explain(const std::string& state) {
  if (state == "starting") return "Queue is starting; try again shortly";
  if (state == "storage_unavailable") return "Queue's storage is unavailable; Queue keeps retrying";
  if (state == "misconfigured") return "Queue is misconfigured; the server log says how";
  if (state == "shutting_down") return "Queue is shutting down";
  return "Queue is not available";
}

}  // namespace

web::Error not_ready_error(const Runtime& runtime) {
  return make_error(contract::ErrorCode::unavailable, explain(runtime.state()),
                    {{"Retry-After", std::to_string(runtime.retry_after().count())}});
}

web::BeforeRequestHook require_ready(std::shared_ptr<const Runtime> runtime) {
  return [runtime = std::move(runtime)](web::Request& request) -> std::optional<web::Response> {
    if (runtime->ready()) return std::nullopt;
    return error_response(request, not_ready_error(*runtime));
  };
}

}  // namespace queue::api
