#include "bench/net/http_connection.h"

#include <charconv>
#include <stdexcept>
#include <utility>

namespace bench::net {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::size_t parse_number(std::string_view text, int base, std::string_view what) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end == text.data()) throw std::runtime_error("http: malformed " + std::string(what));
  return value;
}

}  // namespace

HttpConnection::HttpConnection(Endpoint endpoint, std::string authorization) : endpoint_(std::move(endpoint)) {
  fixed_headers_ = "Host: " + endpoint_.host + ":" + std::to_string(endpoint_.port) + "\r\n";
  if (!authorization.empty()) fixed_headers_ += "Authorization: " + authorization + "\r\n";
}

HttpResponse HttpConnection::request(std::string_view method, std::string_view target, std::string_view json_body) {
  if (!connection_) connection_.emplace(endpoint_);
  out_.clear();
  out_ += method;
  out_ += ' ';
  out_ += target;
  out_ += " HTTP/1.1\r\n";
  out_ += fixed_headers_;
  if (!json_body.empty() || method == "POST" || method == "PUT") {
    out_ += "Content-Type: application/json\r\nContent-Length: ";
    out_ += std::to_string(json_body.size());
    out_ += "\r\n";
  }
  out_ += "\r\n";
  out_ += json_body;
  connection_->write_all(out_);
  return read_response();
}

HttpResponse HttpConnection::read_response() {
  HttpResponse response;
  std::string_view status_line = connection_->read_line();
  // "HTTP/1.1 200 OK"
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
    throw std::runtime_error("http: malformed status line: " + std::string(status_line));
  }
  response.status = static_cast<int>(parse_number(status_line.substr(9, 3), 10, "status code"));

  std::optional<std::size_t> content_length;
  bool chunked = false;
  bool close_after = false;
  for (;;) {
    std::string_view line = connection_->read_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw std::runtime_error("http: malformed header line");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (equals_ignoring_case(name, "content-length")) {
      content_length = parse_number(value, 10, "Content-Length");
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      chunked = equals_ignoring_case(value, "chunked");
    } else if (equals_ignoring_case(name, "connection")) {
      close_after = equals_ignoring_case(value, "close");
    }
  }
  if (chunked) {
    read_chunked(response.body);
  } else if (content_length) {
    connection_->read_exact(*content_length, response.body);
  } else if (response.status >= 200 && response.status != 204 && response.status != 304) {
    throw std::runtime_error("http: response without Content-Length is not supported");
  }
  if (close_after) connection_.reset();  // the next request opens a new connection
  return response;
}

void HttpConnection::read_chunked(std::string& body) {
  for (;;) {
    std::string_view size_line = connection_->read_line();
    const std::size_t size = parse_number(size_line.substr(0, size_line.find(';')), 16, "chunk size");
    if (size == 0) break;
    connection_->read_exact(size, body);
    connection_->expect_crlf();
  }
  while (!connection_->read_line().empty()) {
    // trailers: ignored
  }
}

}  // namespace bench::net
