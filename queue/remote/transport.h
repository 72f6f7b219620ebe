// One HTTP exchange at a time, as the client logic (http_queue_client.cpp) needs it,
// without Asio in the header: asio_transport.cpp is the only translation unit that
// includes Beast and Asio (the slowest to compile by far).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "queue/remote/endpoint.h"
#include "queue/remote/http_client.h"

namespace queue::remote {

using Clock = std::chrono::steady_clock;

struct WireRequest {
  std::string method;  // "GET", "PUT", "POST", "DELETE"
  std::string target;  // origin-form, encoded (Endpoint::target)
  std::string body;    // JSON, sent with Content-Type: application/json when not empty
  // A long poll: runs on a connection outside the short-call limit, and stop aborts it.
  bool long_poll = false;
};

struct WireResponse {
  int status = 0;
  std::string body;
  std::string request_id;  // X-Request-ID
  std::optional<std::chrono::seconds> retry_after;
};

enum class WireFailure {
  none,              // `response` holds the answer
  not_sent,          // resolve, connect or TLS handshake failed: the server never saw the request
  lost_after_write,  // the connection failed once the request was being written: it may have taken effect
  timed_out,         // `until` passed first
  stopped,           // a long poll's stop token was triggered
  bad_response,      // not HTTP/1.1 as a server speaks it
  closed,            // the client is shutting down
};

struct WireOutcome {
  WireFailure failure = WireFailure::none;
  std::string detail;  // what went wrong, for the error message
  WireResponse response;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Runs one exchange; `done` runs exactly once, on the transport's thread. `until`
  // bounds all of it (waiting for a pooled connection included). `stop` is watched
  // only for long polls.
  virtual void exchange(WireRequest request, Clock::time_point until, std::stop_token stop,
                        std::function<void(WireOutcome)> done) = 0;
  // Runs `task` on the transport's thread at `when` (closed = false), or at shutdown
  // (closed = true), whichever comes first.
  virtual void run_at(Clock::time_point when, std::function<void(bool closed)> task) = 0;
  // Fails every exchange and timer still pending with `closed`, then stops the thread.
  // Blocks until done unless called from the transport's own thread.
  virtual void shutdown() = 0;
};

// The Boost.Asio/Beast transport: its own io_context and one thread. Throws
// std::invalid_argument when a CA file or directory cannot be loaded.
std::unique_ptr<Transport> make_asio_transport(Endpoint endpoint, const HttpClientOptions& options);

}  // namespace queue::remote
