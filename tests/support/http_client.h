// A small blocking HTTP/1.1 client for tests, over POSIX sockets (no Beast, so
// test binaries compile fast). Every receive has a timeout, so a test never hangs:
// a server that does not answer in time makes the call throw std::runtime_error.
//
//   test::HttpClient client(server.port());
//   auto r = client.get("/healthz");
//   EXPECT_EQ(r.status, 200);
//   EXPECT_FALSE(r.header("X-Request-ID").empty());
//   EXPECT_EQ(r.json().at("ok"), true);
//
// The connection is kept alive between requests and reopened when the server
// closed it (request() closes it itself after a response saying Connection: close).
// send_raw()/read_response()/recv_raw() give byte-level access for malformed-HTTP,
// pipelining and hang-up tests; they never reconnect behind your back except that
// send_raw() connects when there is no connection.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::string reason;
  Headers headers;
  std::string body;

  // The first value of a header (case-insensitive name); "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error naming the body when it is not JSON.
  boost::json::value json() const;
  // Whether the server said it will close the connection after this response.
  bool closes_connection() const;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends a request (adding Host, and Content-Length when there is a body) and reads the response.
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse get(std::string_view target, const Headers& headers = {});
  HttpResponse head(std::string_view target, const Headers& headers = {});
  HttpResponse del(std::string_view target, const Headers& headers = {});
  HttpResponse post(std::string_view target, std::string_view body, const Headers& headers = {});
  HttpResponse put(std::string_view target, std::string_view body, const Headers& headers = {});
  // POST with the value serialized and Content-Type: application/json.
  HttpResponse post_json(std::string_view target, const boost::json::value& body, Headers headers = {});

  // --- byte level ---
  void connect();  // (re)opens the connection; done on demand by the calls above
  void send_raw(std::string_view bytes);
  // Up to `max` bytes as they arrive; "" when the server closed the connection.
  // Throws on timeout.
  std::string recv_raw(std::size_t max = 64 * 1024);
  // Reads one response from the connection (after send_raw). `head_request`: no body follows.
  HttpResponse read_response(bool head_request = false);
  // Waits until the server closes the connection, discarding what it sends; false on timeout.
  bool wait_closed(std::chrono::milliseconds within);
  // Half-closes (FIN): sends nothing more, still reads.
  void finish_sending();
  void close();
  bool connected() const { return fd_ >= 0; }

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  // Fills buffer_ with at least one more byte; false on EOF. Throws on timeout or error.
  bool fill(std::chrono::milliseconds timeout);
  std::string read_line();
  std::string read_exactly(std::size_t size);
  std::string read_chunked();

  unsigned short port_;
  std::string host_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;  // received, not yet consumed
};

}  // namespace test
