// A blocking TCP connection with a read buffer, enough for line- and
// length-framed protocols (RESP, beanstalkd, HTTP/1.1).
//
// Each benchmark worker owns one connection on its own thread, so blocking I/O
// is the cheapest correct choice: no event loop, one syscall per request and
// usually one per reply.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench::net {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};

class Connection {
 public:
  // Connects with TCP_NODELAY set; throws std::runtime_error naming the endpoint on failure.
  explicit Connection(const Endpoint& endpoint);
  // Adopts an already connected socket (tests use one end of a socketpair).
  Connection(int connected_fd, Endpoint label);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void write_all(std::string_view bytes);

  // The next line without its CRLF. The view stays valid until the next read.
  std::string_view read_line();
  // Exactly `count` bytes, appended to `out`.
  void read_exact(std::size_t count, std::string& out);
  // Reads two bytes and throws unless they are CRLF.
  void expect_crlf();

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  // Reads more bytes into the buffer; throws when the peer closed or on error.
  void fill();
  void close() noexcept;

  Endpoint endpoint_;
  int fd_ = -1;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last buffered byte
};

}  // namespace bench::net
