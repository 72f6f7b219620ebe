#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace test {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::runtime_error failure(const std::string& what) { return std::runtime_error("HttpClient: " + what); }

std::runtime_error system_failure(const std::string& what) {
  return failure(what + ": " + std::strerror(errno));
}

// The server closed the connection: on a kept-alive connection, worth one retry.
struct ConnectionClosed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& field) { return iequals(field.first, name); });
}

boost::json::value HttpResponse::json() const {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) throw failure("response body is not JSON (" + ec.message() + "): " + body);
  return value;
}

bool HttpResponse::closes_connection() const { return iequals(header("Connection"), "close"); }

HttpClient::HttpClient(unsigned short port, std::chrono::milliseconds timeout, std::string host)
    : port_(port), host_(std::move(host)), timeout_(timeout) {}

HttpClient::~HttpClient() { close(); }

void HttpClient::connect() {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw system_failure("socket");
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  if (::inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1) throw failure("not an IPv4 address: " + host_);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    auto error = system_failure("connect to " + host_ + ":" + std::to_string(port_));
    close();
    throw error;
  }
}

void HttpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

void HttpClient::finish_sending() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void HttpClient::send_raw(std::string_view bytes) {
  if (fd_ < 0) connect();
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE || errno == ECONNRESET) throw ConnectionClosed("HttpClient: the server closed the connection");
      throw system_failure("send");
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

bool HttpClient::fill(std::chrono::milliseconds timeout) {
  if (fd_ < 0) throw failure("not connected");
  pollfd waiting{fd_, POLLIN, 0};
  int ready = 0;
  do {
    ready = ::poll(&waiting, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) throw system_failure("poll");
  if (ready == 0) throw failure("timed out after " + std::to_string(timeout.count()) + " ms waiting for the server");
  char chunk[16 * 1024];
  ssize_t received = 0;
  do {
    received = ::recv(fd_, chunk, sizeof chunk, 0);
  } while (received < 0 && errno == EINTR);
  if (received < 0) {
    if (errno == ECONNRESET) return false;
    throw system_failure("recv");
  }
  if (received == 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(received));
  return true;
}

std::string HttpClient::recv_raw(std::size_t max) {
  if (buffer_.empty() && !fill(timeout_)) return {};
  std::string out = buffer_.substr(0, max);
  buffer_.erase(0, out.size());
  return out;
}

bool HttpClient::wait_closed(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  try {
    for (;;) {
      buffer_.clear();
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      if (!fill(left)) {
        close();
        return true;
      }
    }
  } catch (const std::runtime_error&) {
    return false;  // timed out with the connection still open
  }
}

std::string HttpClient::read_line() {
  for (;;) {
    auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (!fill(timeout_)) throw ConnectionClosed("HttpClient: connection closed in the middle of a response head");
  }
}

std::string HttpClient::read_exactly(std::size_t size) {
  while (buffer_.size() < size) {
    if (!fill(timeout_)) throw failure("connection closed in the middle of a response body");
  }
  std::string out = buffer_.substr(0, size);
  buffer_.erase(0, size);
  return out;
}

std::string HttpClient::read_chunked() {
  std::string body;
  for (;;) {
    std::string size_line = read_line();
    std::size_t size = std::stoul(size_line.substr(0, size_line.find(';')), nullptr, 16);
    if (size == 0) {
      while (!read_line().empty()) {
      }  // trailers
      return body;
    }
    body += read_exactly(size);
    read_line();  // the CRLF after the chunk
  }
}

HttpResponse HttpClient::read_response(bool head_request) {
  HttpResponse response;
  std::string status_line = read_line();
  // "HTTP/1.1 200 OK"
  auto first_space = status_line.find(' ');
  if (!status_line.starts_with("HTTP/") || first_space == std::string::npos) {
    throw failure("not an HTTP status line: " + status_line);
  }
  response.status = std::atoi(status_line.c_str() + first_space + 1);
  auto second_space = status_line.find(' ', first_space + 1);
  if (second_space != std::string::npos) response.reason = status_line.substr(second_space + 1);

  for (std::string line = read_line(); !line.empty(); line = read_line()) {
    auto colon = line.find(':');
    if (colon == std::string::npos) throw failure("malformed header line: " + line);
    response.headers.emplace_back(std::string(trim(std::string_view(line).substr(0, colon))),
                                  std::string(trim(std::string_view(line).substr(colon + 1))));
  }

  bool bodiless = head_request || response.status / 100 == 1 || response.status == 204 || response.status == 304;
  if (bodiless) return response;
  if (iequals(response.header("Transfer-Encoding"), "chunked")) {
    response.body = read_chunked();
  } else if (response.has_header("Content-Length")) {
    response.body = read_exactly(std::stoul(response.header("Content-Length")));
  } else {
    while (fill(timeout_)) {
    }  // the body runs to the end of the connection
    response.body = std::move(buffer_);
    buffer_.clear();
  }
  return response;
}

HttpResponse HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                                 const Headers& headers) {
  std::string message;
  message.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  bool has_host = false;
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    has_host = has_host || iequals(name, "Host");
    has_length = has_length || iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding");
    message.append(name).append(": ").append(value).append("\r\n");
  }
  if (!has_host) message.append("Host: ").append(host_).append(":").append(std::to_string(port_)).append("\r\n");
  if (!has_length && (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
    message.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  message.append("\r\n").append(body);

  // A kept-alive connection the server has since closed fails on first use: retry once on a fresh one.
  bool fresh = fd_ < 0;
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0) connect();
    try {
      send_raw(message);
      HttpResponse response = read_response(method == "HEAD");
      if (response.closes_connection()) close();
      return response;
    } catch (const ConnectionClosed&) {
      if (fresh || attempt > 0) throw;
      close();
    }
  }
}

HttpResponse HttpClient::get(std::string_view target, const Headers& headers) {
  return request("GET", target, {}, headers);
}

HttpResponse HttpClient::head(std::string_view target, const Headers& headers) {
  return request("HEAD", target, {}, headers);
}

HttpResponse HttpClient::del(std::string_view target, const Headers& headers) {
  return request("DELETE", target, {}, headers);
}

HttpResponse HttpClient::post(std::string_view target, std::string_view body, const Headers& headers) {
  return request("POST", target, body, headers);
}

HttpResponse HttpClient::put(std::string_view target, std::string_view body, const Headers& headers) {
  return request("PUT", target, body, headers);
}

HttpResponse HttpClient::post_json(std::string_view target, const boost::json::value& body, Headers headers) {
  headers.emplace_back("Content-Type", "application/json");
  return request("POST", target, boost::json::serialize(body), headers);
}

}  // namespace test
