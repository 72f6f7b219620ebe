// A scripted HTTP/1.1 server on a loopback port, plain or TLS, for what a real Queue
// never does on purpose: fail the first attempts, hang, die mid-call, answer garbage.
// Its own io_context and thread; Beast lives only in fake_server.cpp.
//
//   FakeServer server([](const FakeRequest& request, int index) {
//     return index == 0 ? FakeReply::drop() : FakeReply::json(201, R"({"messages":[{"id":"1"}]})");
//   });
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace remote_test {

struct FakeRequest {
  std::string method;
  std::string target;
  std::string body;
  std::string authorization;  // the Authorization header, "" when absent
};

struct FakeReply {
  enum class Action {
    respond,  // status, headers, body (after `delay`)
    hang,     // read the request and never answer (until the client hangs up)
    drop,     // read the request and close the connection: a server dying mid-call
    raw,      // write `body` as is, then close: garbage on the wire
  };
  Action action = Action::respond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string body = {};
  std::chrono::milliseconds delay{0};

  static FakeReply json(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return FakeReply{Action::respond, status, std::move(headers), std::move(body)};
  }
  static FakeReply hang() { return FakeReply{Action::hang}; }
  static FakeReply drop() { return FakeReply{Action::drop}; }
  static FakeReply raw(std::string bytes) { return FakeReply{Action::raw, 0, {}, std::move(bytes)}; }
};

struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

class FakeServer {
 public:
  // `index`: the request's number, from 0, across all connections.
  using Handler = std::function<FakeReply(const FakeRequest& request, int index)>;

  explicit FakeServer(Handler handler, const TlsIdentity* tls = nullptr);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // "http(s)://127.0.0.1:<port>"

  std::vector<FakeRequest> requests() const;
  std::size_t request_count() const;
  std::size_t connection_count() const;
  // Blocks until `count` requests arrived; false after `timeout`.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace remote_test
