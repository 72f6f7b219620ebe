#include "queue/api/ui_routes.h"

#include <string>
#include <string_view>

#include "queue/api/errors.h"
#include "queue/api/ui_files.h"

namespace queue::api {
namespace {

// connect-src 'self': the page talks to this origin's API and nothing else.
constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string_view content_type(std::string_view name) {
  auto ends_with = [name](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const EmbeddedFile* find_file(std::string_view name) {
  for (const EmbeddedFile& file : ui_files()) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

bool etag_matches(const web::Request& request, std::string_view etag) {
  std::optional<std::string_view> header = request.header("If-None-Match");
  if (!header) return false;
  // A list of tags, or "*"; a weak tag W/"x" matches too (RFC 9110 §13.1.2: weak comparison).
  return *header == "*" || header->find(etag) != std::string_view::npos;
}

web::Response serve(const web::Request& request, std::string_view name) {
  const EmbeddedFile* file = find_file(name);
  if (file == nullptr) fail(contract::ErrorCode::not_found, "the dashboard has no file \"" + std::string(name) + "\"");
  web::Response response = etag_matches(request, file->etag) ? web::Response::empty(304)
                                                             : web::Response{200, {}, std::string(file->bytes)};
  if (response.status == 200) response.set_header("Content-Type", std::string(content_type(file->name)));
  response.set_header("ETag", std::string(file->etag));
  response.set_header("Cache-Control", "no-cache");
  response.set_header("Content-Security-Policy", std::string(content_security_policy));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace

web::Blueprint create_ui_blueprint() {
  web::Blueprint blueprint("queue_ui", "/queue/ui");
  blueprint.error_handler(error_response);
  blueprint.route("GET", "", [](web::Request&) {
    web::Response response = web::Response::empty(308);
    response.set_header("Location", "ui/");  // relative to /…/queue/ui: /…/queue/ui/
    return response;
  });
  blueprint.route("GET", "/", [](web::Request& request) { return serve(request, "index.html"); });
  blueprint.route("GET", "/{file}", [](web::Request& request) { return serve(request, request.param("file")); });
  return blueprint;
}

}  // namespace queue::api
