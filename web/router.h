// Route matching and path ownership for App (private to web/).
//
// Paths are compared segment by segment, on percent-decoded segments, so
// "/a%2Fb" is one segment "a/b" and a prefix "/api/v1/queues" owns
// "/api/v1/queues/x" but not "/api/v1/queuesx". Matching is strict about
// trailing slashes: "/x/" is the segments {"x", ""} and does not match "/x".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/blueprint.h"

namespace web {

class Router {
 public:
  struct Match {
    enum class Kind { found, not_found, method_not_allowed };
    Kind kind = Kind::not_found;
    // found: which route of which blueprint (indices into App's blueprints and their routes());
    // method_not_allowed: the blueprint of the first route on that path.
    std::size_t blueprint = 0;
    std::size_t route = 0;
    std::string pattern;  // found: the route's full pattern ("/api/v1/queues/{queue}")
    std::vector<std::pair<std::string, std::string>> params;
    // method_not_allowed: the methods the path does accept ("GET, HEAD, POST").
    std::string allow;
  };

  // Adds blueprint number `index` (its url_prefix and routes) under `mount_prefix`.
  void mount(std::size_t index, const Blueprint& blueprint, std::string_view mount_prefix);

  Match match(std::string_view method, const std::vector<std::string>& segments) const;
  // The blueprint whose full, non-empty prefix is the longest segment-wise prefix of the path.
  std::optional<std::size_t> owner(const std::vector<std::string>& segments) const;

  // "METHOD /full/pattern" for every route, in mounting order.
  std::vector<std::string> route_list() const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
  };
  struct MountedRoute {
    std::size_t blueprint;
    std::size_t route;
    std::string method;
    std::string pattern;  // the full pattern, for route_list()
    std::vector<Segment> segments;
  };
  struct OwnedPrefix {
    std::size_t blueprint;
    std::vector<std::string> segments;
  };

  static bool matches(const MountedRoute& route, const std::vector<std::string>& segments);
  static bool more_specific(const MountedRoute& a, const MountedRoute& b);

  std::vector<MountedRoute> routes_;
  std::vector<OwnedPrefix> prefixes_;
};

}  // namespace web
