#include "bench/net/connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace bench::net {
namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;

std::string describe(const Endpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

[[noreturn]] void fail(const Endpoint& endpoint, std::string_view what, int error) {
  throw std::runtime_error(std::string(what) + " " + describe(endpoint) + ": " + std::strerror(error));
}

int connect_to(const Endpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw std::runtime_error("resolve " + describe(endpoint) + ": " + ::gai_strerror(rc));
  }
  int last_error = ECONNREFUSED;
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    if (::connect(fd, candidate->ai_addr, candidate->ai_addrlen) == 0) {
      // Requests are written whole in one call; Nagle would only delay them.
      int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      ::freeaddrinfo(found);
      return fd;
    }
    last_error = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  fail(endpoint, "connect", last_error);
}

}  // namespace

Connection::Connection(const Endpoint& endpoint)
    : endpoint_(endpoint), fd_(connect_to(endpoint)), buffer_(kBufferBytes) {}

Connection::Connection(int connected_fd, Endpoint label)
    : endpoint_(std::move(label)), fd_(connected_fd), buffer_(kBufferBytes) {}

Connection::~Connection() { close(); }

Connection::Connection(Connection&& other) noexcept
    : endpoint_(std::move(other.endpoint_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      begin_(std::exchange(other.begin_, 0)),
      end_(std::exchange(other.end_, 0)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    endpoint_ = std::move(other.endpoint_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    begin_ = std::exchange(other.begin_, 0);
    end_ = std::exchange(other.end_, 0);
  }
  return *this;
}

void Connection::close() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void Connection::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(endpoint_, "write to", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void Connection::fill() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (end_ == buffer_.size()) {
    // Keep the unread tail and make room behind it; grow only for a line longer than the buffer.
    if (begin_ == 0) {
      buffer_.resize(buffer_.size() * 2);
    } else {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
  }
  for (;;) {
    ssize_t got = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      return;
    }
    if (got == 0) throw std::runtime_error("connection closed by " + describe(endpoint_));
    if (errno != EINTR) fail(endpoint_, "read from", errno);
  }
}

std::string_view Connection::read_line() {
  std::size_t scanned = begin_;
  for (;;) {
    std::string_view pending(buffer_.data() + scanned, end_ - scanned);
    if (auto at = pending.find("\r\n"); at != std::string_view::npos) {
      std::string_view line(buffer_.data() + begin_, scanned - begin_ + at);
      begin_ = scanned + at + 2;
      return line;
    }
    // A CR at the very end may be the first half of a CRLF: rescan it after the next read.
    std::size_t rescan_from = end_ > begin_ ? end_ - 1 : begin_;
    std::size_t offset = rescan_from - begin_;
    fill();
    scanned = begin_ + offset;
  }
}

void Connection::read_exact(std::size_t count, std::string& out) {
  out.reserve(out.size() + count);
  while (count > 0) {
    if (begin_ == end_) fill();
    std::size_t take = std::min(count, end_ - begin_);
    out.append(buffer_.data() + begin_, take);
    begin_ += take;
    count -= take;
  }
}

void Connection::expect_crlf() {
  std::string crlf;
  read_exact(2, crlf);
  if (crlf != "\r\n") throw std::runtime_error("protocol error from " + describe(endpoint_) + ": expected CRLF");
}

}  // namespace bench::net
