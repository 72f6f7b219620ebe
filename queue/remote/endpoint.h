// Where a client's calls go: base_url parsed once (Boost.URL), and request targets
// built with every path segment and query value percent-encoded, so a queue name can
// never change the shape of the path.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace queue::remote {

struct Endpoint {
  bool tls = false;
  std::string host;         // for resolving, SNI and certificate checks: "queue.internal", "127.0.0.1", "::1"
  std::string port;         // "443" when the URL names none
  std::string host_header;  // the Host header: host[:port] as the URL wrote it ("[::1]:8080")
  std::string api_path;     // the URL's path prefix + "/api/v1", encoded, e.g. "/gw/api/v1"

  // Throws std::invalid_argument naming what is wrong with `base_url`.
  static Endpoint parse(std::string_view base_url);

  using Query = std::vector<std::pair<std::string_view, std::string>>;
  // api_path + "/" + each segment encoded, then "?k=v&..." when `query` is not empty.
  std::string target(std::initializer_list<std::string_view> segments, const Query& query = {}) const;
  // "https://host:port" for messages.
  std::string origin() const;
};

}  // namespace queue::remote
