#include "web/router.h"

#include <algorithm>
#include <set>

namespace web {
namespace {

// Splits a prefix into its non-empty segments: "/api/v1/" and "api/v1" are both {"api", "v1"}.
std::vector<std::string> prefix_segments(std::string_view prefix) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= prefix.size()) {
    std::size_t slash = prefix.find('/', start);
    if (slash == std::string_view::npos) slash = prefix.size();
    if (slash > start) segments.emplace_back(prefix.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Splits a full path pattern the way Boost.URL splits a request path: "/" is no
// segment, "/x/" is {"x", ""}.
std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path == "/") return segments;
  if (path.front() == '/') path.remove_prefix(1);
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.emplace_back(path.substr(start));
      return segments;
    }
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

std::string join(const std::vector<std::string>& segments) {
  std::string joined;
  for (const auto& segment : segments) joined += "/" + segment;
  return joined;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::mount(std::size_t index, const Blueprint& blueprint, std::string_view mount_prefix) {
  std::vector<std::string> prefix = prefix_segments(mount_prefix);
  for (auto& segment : prefix_segments(blueprint.url_prefix())) prefix.push_back(std::move(segment));
  if (!prefix.empty()) prefixes_.push_back(OwnedPrefix{index, prefix});

  const std::string prefix_path = join(prefix);
  for (std::size_t r = 0; r < blueprint.routes().size(); ++r) {
    const Blueprint::Route& route = blueprint.routes()[r];
    std::string pattern = route.pattern;
    if (!pattern.empty() && pattern.front() != '/') pattern = "/" + pattern;
    std::string full = prefix_path + pattern;
    if (full.empty()) full = "/";

    MountedRoute mounted{index, r, route.method, full, {}};
    for (auto& segment : path_segments(full)) {
      if (is_param(segment)) {
        mounted.segments.push_back(Segment{segment.substr(1, segment.size() - 2), true});
      } else {
        mounted.segments.push_back(Segment{std::move(segment), false});
      }
    }
    routes_.push_back(std::move(mounted));
  }
}

bool Router::matches(const MountedRoute& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& expected = route.segments[i];
    // An empty segment ("/queues/") is no value for a parameter.
    if (expected.is_param ? segments[i].empty() : expected.text != segments[i]) return false;
  }
  return true;
}

// A literal beats a parameter at the first position where two routes differ, so
// "/queues/stats" wins over "/queues/{queue}" whatever the mounting order.
bool Router::more_specific(const MountedRoute& a, const MountedRoute& b) {
  for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

Router::Match Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  const MountedRoute* best = nullptr;
  const MountedRoute* best_get = nullptr;  // HEAD falls back to GET when there is no HEAD route
  const MountedRoute* first_on_path = nullptr;
  std::set<std::string> allowed;
  for (const MountedRoute& route : routes_) {
    if (!matches(route, segments)) continue;
    if (first_on_path == nullptr) first_on_path = &route;
    allowed.insert(route.method);
    if (route.method == method) {
      if (best == nullptr || more_specific(route, *best)) best = &route;
    } else if (method == "HEAD" && route.method == "GET") {
      if (best_get == nullptr || more_specific(route, *best_get)) best_get = &route;
    }
  }
  if (best == nullptr) best = best_get;

  Match result;
  if (best != nullptr) {
    result.kind = Match::Kind::found;
    result.blueprint = best->blueprint;
    result.route = best->route;
    result.pattern = best->pattern;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_param) result.params.emplace_back(best->segments[i].text, segments[i]);
    }
    return result;
  }
  if (first_on_path == nullptr) return result;

  if (allowed.contains("GET")) allowed.insert("HEAD");
  result.kind = Match::Kind::method_not_allowed;
  result.blueprint = first_on_path->blueprint;
  for (const auto& name : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += name;
  }
  return result;
}

std::optional<std::size_t> Router::owner(const std::vector<std::string>& segments) const {
  std::optional<std::size_t> owner;
  std::size_t owner_length = 0;
  for (const OwnedPrefix& prefix : prefixes_) {
    if (prefix.segments.size() > segments.size() || prefix.segments.size() <= owner_length) continue;
    if (std::equal(prefix.segments.begin(), prefix.segments.end(), segments.begin())) {
      owner = prefix.blueprint;
      owner_length = prefix.segments.size();
    }
  }
  return owner;
}

std::vector<std::string> Router::route_list() const {
  std::vector<std::string> list;
  list.reserve(routes_.size());
  for (const MountedRoute& route : routes_) list.push_back(route.method + " " + route.pattern);
  return list;
}

}  // namespace web
