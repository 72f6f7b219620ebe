// Who the caller is, blueprint "queue_whoami" (url_prefix "/queue/whoami"):
//   GET /queue/whoami[?queue=<name>]
//     200 {"auth":true,"principal":"ops","may":{"read":true,"send":true,"receive":true,"admin":true}}
//
// So a client (the dashboard) shows only what its token may do, without trying an
// operation to see it fail. "may" is present only with ?queue= and answers exactly
// what the routes' checks would (Authorizer::allows). With auth off, "auth" is false,
// "principal" null and everything allowed. Needs a known token like any route.
#pragma once

#include <memory>

#include "queue/api/authorization.h"
#include "web/blueprint.h"

namespace queue::api {

web::Blueprint create_whoami_blueprint(std::shared_ptr<const Authorizer> authorizer);

}  // namespace queue::api
