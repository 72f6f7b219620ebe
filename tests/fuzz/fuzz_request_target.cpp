// web::Request built from a raw request-target, as the server builds it for every
// request: either a 400 or a path, segments and query that agree with the target.
#include <algorithm>
#include <optional>
#include <string>

#include "tests/fuzz/fuzz_check.h"
#include "web/error.h"
#include "web/request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string target(fuzz::as_text(data, size));
  std::optional<web::Request> request;
  try {
    request.emplace("GET", target, web::Request::Headers{}, "");
  } catch (const web::HttpError& error) {
    fuzz::require_clean_http_error(error);
    return 0;
  }
  fuzz::require(request->target() == target, "target not kept as given");
  fuzz::require(target.starts_with('/'), "accepted a target that is not origin-form");
  fuzz::require(request->path().starts_with('/'), "path does not start with '/'");

  std::string_view raw_path = std::string_view(target).substr(0, target.find('?'));
  fuzz::require(
      request->segments().size() <= static_cast<std::size_t>(std::count(raw_path.begin(), raw_path.end(), '/')),
      "more segments than slashes");
  if (raw_path.find('%') == std::string_view::npos) {
    // Nothing to decode: the path is the raw path, and the segments are its pieces.
    fuzz::require(request->path() == raw_path, "path differs from the raw path: " + request->path());
    // Boost.URL does not count a leading "/." before another "/" as a segment (it is
    // the prefix that keeps "//x" from reading as an authority), so "/./a" routes as "/a".
    std::string_view routed = raw_path.starts_with("/./") ? raw_path.substr(2) : raw_path;
    std::string joined;
    for (const std::string& segment : request->segments()) joined += "/" + segment;
    fuzz::require(joined == (raw_path == "/" ? "" : routed), "segments do not make up the path: " + joined);
  }
  if (target.find('?') == std::string::npos) {
    fuzz::require(!request->query("") && !request->query("limit"), "query parameters without a query");
  }
  return 0;
}
