// Serves an App over HTTP/1.1 on one port with one worker pool (Gunicorn's role).
//
// Keep-alive, body/header size limits (413/431), malformed requests (400), read
// timeouts for slow clients, graceful drain on SIGTERM. Requests parked by
// asynchronous handlers hold no thread. Boost.Beast lives only in server.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "web/app.h"
#include "web/config.h"

namespace web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 5000;  // 0: pick an ephemeral port (see Server::port())
  // Worker threads, each with an io_context of its own; a connection is handed to one
  // of them (round robin) and stays there, so a handler that blocks delays the other
  // connections of its thread, not those of the others.
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};   // a request's head and body must arrive within this
  std::chrono::milliseconds idle_timeout{75'000};   // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{30'000};  // a response must be taken by the client within this
  std::chrono::milliseconds drain_timeout{30'000};  // SIGTERM: in-flight requests get this long

  // The platform's keys, as Heroku sets them for any web process: HOST (default
  // 127.0.0.1), PORT (0..65535, default 5000), WEB_CONCURRENCY (1..256, default the
  // number of cores). Throws std::invalid_argument naming a malformed key.
  static ServerOptions from_platform(const Config& config);
};

class Server {
 public:
  Server(App& app, ServerOptions options);
  ~Server();  // drains and joins if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the worker threads. Throws std::runtime_error on a bad
  // address, a port in use, or a blueprint refusing the address (before_serving).
  void start();
  unsigned short port() const;  // the bound port, after start()

  // Stops accepting, lets in-flight requests finish (up to drain_timeout), closes idle
  // connections, runs the app's shutdown hooks. Safe from any thread, idempotent.
  void shutdown();
  // Blocks until the worker threads have exited.
  void wait();

  // start(), then serve until SIGTERM or SIGINT, drain, and return the process exit code (0).
  int run_until_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace web
