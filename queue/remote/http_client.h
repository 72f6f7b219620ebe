// The remote transport of the contract: QueueClient over API v1, HTTP(S) to a
// queue-server or to a Raptor with Queue mounted (ADR-0066, Phase 4).
//
//   auto queue = queue::remote::make_http_client({.base_url = "https://queue.internal:8443",
//                                                .token = std::getenv("QUEUE_TOKEN")});
//   auto sent = queue->send("orders", {{.body = "hello"}}, contract::within(2s));
//
// Threading: the client owns one io_context run by one background thread; every
// callback of an async_* call runs on that thread (so it must be quick, must not
// throw, and must never call a blocking method of this client: that would wait on
// itself). Calls may be made from any thread. Destroying the client answers every
// call still in flight with `unavailable` ("client closed") and joins the thread
// (or, when the last reference is dropped inside a callback, lets it finish alone).
//
// Errors: Queue's {"error":{"code","message","request_id"}} keeps its code, message
// and request id (X-Request-ID when the body has none), and a 503's Retry-After. An
// unknown code, or a body from something else (a proxy's page, Raptor's own errors),
// gets the code of its status (502/504: unavailable; other 5xx: internal_error). No
// connection, or one lost mid-call: unavailable, with an empty request id. The
// deadline passing: deadline_exceeded. A response that is not API v1 (bad JSON, a
// missing field, broken HTTP): internal_error saying what was wrong, never a crash.
//
// Connections: short calls share a keep-alive pool of at most
// `max_connections_per_host` connections (more wait for a free one, within their
// deadline). A long poll (receive with wait_s > 0) never counts against that limit and
// never waits for it: it takes an idle connection or opens one of its own, so acks and
// visibility changes never queue behind parked polls.
//
// Deadlines: each call's CallOptions::deadline bounds the whole call, retries and
// backoff included; when it passes the call fails with deadline_exceeded. A receive's
// wait_s is cut so the server answers `long_poll_margin` before the deadline.
//
// Retries (exponential backoff with full jitter, bounded by `retry_attempts`, by the
// deadline and by a retry budget shared by every call of the client) happen only
// where a second attempt cannot duplicate an effect:
//   - always safe (connection errors, 502, 503 honouring Retry-After, 504): get_queue,
//     list_queues, peek, put_queue, delete_queue, ack, change_visibility (receipts are
//     fenced), and send when EVERY message has a dedup_id (the server deduplicates);
//   - only when the request provably never reached the server (the connection or TLS
//     handshake failed): every other call. A send without dedup ids would enqueue twice;
//     a receive that the server answered but whose answer was lost has leased messages
//     nobody will see until their visibility timeout, and retrying would lease more;
//     purge and redrive would act on messages that arrived meanwhile.
// A request whose connection dropped after it was written "may have taken effect" and
// fails with `unavailable` (contract: unavailable and deadline_exceeded mean "maybe").
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "queue/contract/client.h"

namespace queue::remote {

// Every field has an initializer, so designated initializers may leave any out.
struct HttpClientOptions {
  // "http://host:port" or "https://host:port", optionally with a path prefix
  // ("https://gw.example/queue"); API v1 lives at base_url + contract::api_mount_prefix.
  // The port defaults to 80 / 443.
  std::string base_url = {};
  // Bearer token (QUEUE_API_TOKENS); empty sends no Authorization header.
  std::string token = {};

  // Keep-alive connections for short calls (everything but long polls).
  unsigned max_connections_per_host = 8;
  // A pooled connection idle longer than this is closed rather than reused: the server
  // may be about to close it (web::Server's keep-alive idle timeout is 75 s), and a
  // request written to a connection the server is closing "may have taken effect".
  std::chrono::milliseconds pool_idle_timeout{15'000};

  // https: certificates are verified against the system's CAs (plus these, if set),
  // with SNI and hostname verification. verify_peer = false is for experiments only.
  std::string ca_file = {};
  std::string ca_dir = {};
  bool verify_peer = true;

  // Attempts per call, the first included (1 = never retry).
  int retry_attempts = 4;
  // Backoff before retry n (1-based): uniform in [0, min(cap, base * 2^(n-1))] (full jitter).
  std::chrono::milliseconds backoff_base{50};
  std::chrono::milliseconds backoff_cap{2'000};
  // Retry budget, a token bucket shared by all calls (AWS's retry quota): a retry costs
  // `retry_cost`, a successful call refunds `retry_refund`, up to `retry_budget`. When the
  // server is down for long, calls stop multiplying the load after a few failures.
  int retry_budget = 500;
  int retry_cost = 5;
  int retry_refund = 1;

  // A receive's wait_s is cut to fit in (deadline - margin), and its HTTP exchange may
  // take wait_s + margin: time for the server to answer after the wait.
  std::chrono::milliseconds long_poll_margin{2'000};

  std::string user_agent = "queue-remote/1";
};

// Throws std::invalid_argument when base_url is not an http(s) URL with a host, or when
// a CA file or directory cannot be loaded.
std::shared_ptr<contract::QueueClient> make_http_client(HttpClientOptions options);

}  // namespace queue::remote
