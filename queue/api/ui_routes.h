// The dashboard, blueprint "queue_ui" (url_prefix "/queue/ui"):
//   GET /queue/ui    308 to /queue/ui/ (so the page's relative URLs resolve under it)
//   GET /queue/ui/   index.html
//   GET /queue/ui/{file}  one of the embedded files (ui_files.h), 404 JSON for any other
//
// The files carry no data, so they are served without a token; the page then calls the
// API with the operator's token. Every answer has a strict Content-Security-Policy (no
// inline script or style, nothing from another origin) and a strong ETag; a matching
// If-None-Match answers 304. `no-cache` makes the browser revalidate, so a new binary's
// files are picked up at once.
#pragma once

#include "web/blueprint.h"

namespace queue::api {

web::Blueprint create_ui_blueprint();

}  // namespace queue::api
