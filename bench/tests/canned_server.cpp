#include "bench/tests/canned_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bench::fake {
namespace {

// Reads one request: its head, then as many body bytes as Content-Length says.
std::string read_request(int fd, std::string& pending) {
  char chunk[4096];
  auto head_end = pending.find("\r\n\r\n");
  while (head_end == std::string::npos) {
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return pending;
    pending.append(chunk, static_cast<std::size_t>(got));
    head_end = pending.find("\r\n\r\n");
  }
  std::size_t body = 0;
  if (auto at = pending.find("Content-Length: "); at != std::string::npos && at < head_end) {
    body = std::stoul(pending.substr(at + 16));
  }
  const std::size_t total = head_end + 4 + body;
  while (pending.size() < total) {
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) break;
    pending.append(chunk, static_cast<std::size_t>(got));
  }
  std::string request = pending.substr(0, total);
  pending.erase(0, total);
  return request;
}

}  // namespace

CannedServer::CannedServer(Script connections) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::listen(listener_, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this, script = std::move(connections)] { serve(script); });
}

CannedServer::~CannedServer() {
  thread_.join();
  ::close(listener_);
}

void CannedServer::serve(const Script& connections) {
  for (const auto& responses : connections) {
    int fd = ::accept(listener_, nullptr, nullptr);
    std::string pending;
    for (const std::string& response : responses) {
      requests_.push_back(read_request(fd, pending));
      ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }
}

std::string json_response(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace bench::fake
