// HTTP/1.1 over one keep-alive connection: one request, then its response.
//
// Only what the benchmark needs: Content-Length or chunked response bodies,
// and a fresh connection when the server said `Connection: close`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bench/net/connection.h"

namespace bench::net {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpConnection {
 public:
  // `authorization`: the whole header value, or empty for none.
  HttpConnection(Endpoint endpoint, std::string authorization);

  HttpResponse request(std::string_view method, std::string_view target, std::string_view json_body = {});

 private:
  HttpResponse read_response();
  void read_chunked(std::string& body);

  Endpoint endpoint_;
  std::string fixed_headers_;  // Host and Authorization, the same on every request
  std::optional<Connection> connection_;
  std::string out_;  // reused request buffer
};

}  // namespace bench::net
