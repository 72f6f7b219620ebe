// Raptor's app factory (backend_v2/api/__init__.py's create_app in the Python original).
//
// Builds the app from the whole process environment: Raptor's own routes and error
// format always; Queue's blueprints under /api/v1 if and only if FLAG_QUEUE_V1 is
// truthy and RAPTOR_QUEUE_URL is not set (ADR-0066; queue_link.h). Without them Queue
// is never initialised: no storage is opened and no thread started, and its paths
// are 404 in Raptor's format. The QueueClient Raptor uses (in process, remote, or
// none) is the app's extension: app->extension<queue::contract::QueueClient>().
#pragma once

#include <memory>

#include "web/app.h"
#include "web/config.h"

namespace raptor::api {

std::unique_ptr<web::App> create_app(const web::Config& environment);

}  // namespace raptor::api
