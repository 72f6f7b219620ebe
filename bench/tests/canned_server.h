// A loopback HTTP server for tests: answers each accepted connection's requests
// with canned responses, in order, and records the requests it was sent.
#pragma once

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace bench::fake {

// Each inner vector is one connection's responses, one per request.
using Script = std::vector<std::vector<std::string>>;

class CannedServer {
 public:
  explicit CannedServer(Script connections);
  ~CannedServer();  // waits until the script has been played out
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Read only after the server is destroyed or every response was read by the client.
  const std::vector<std::string>& requests() const { return requests_; }

 private:
  void serve(const Script& connections);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::string> requests_;
};

// One HTTP response with a Content-Length body.
std::string json_response(int status, const std::string& body);

}  // namespace bench::fake
