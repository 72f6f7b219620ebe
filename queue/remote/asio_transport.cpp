// The Transport over Boost.Beast: the only translation unit of queue/remote that
// includes Beast and Asio (they dominate the build), as web/server.cpp is for web/.
//
// One io_context, one thread; every piece of state below is touched only on that
// thread, so there are no locks. Each exchange is a C++20 coroutine: check out a
// connection (idle from the pool, or new: resolve, connect, TLS handshake), write,
// read, and give the connection back if the server keeps it alive.
//
// Time limits: beast::tcp_stream's expiry is set to the exchange's `until` before
// every step, so any step past it fails with beast::error::timeout (and the socket is
// closed). A long poll's stop token cancels its socket from the thread that requests
// the stop, by posting to ours: it closes that connection, which is never pooled again.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "queue/remote/transport.h"
#include "queue/remote/wire_codec.h"

namespace queue::remote {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using boost::system::error_code;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// 100 messages of up to 1 MiB each, JSON-escaped, with room to spare.
constexpr std::uint64_t max_response_bytes = 256ull * 1024 * 1024;
constexpr std::uint32_t max_response_header_bytes = 64 * 1024;

// One HTTP/1.1 connection to the endpoint, plain or TLS.
struct Connection {
  Connection(asio::io_context& io, ssl::context* tls) : stop_grace(io) {
    if (tls != nullptr) {
      secure.emplace(io, *tls);
    } else {
      plain.emplace(io);
    }
  }

  beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  // Runs `operation(stream)` on whichever stream this is; both branches have one type.
  template <typename Operation>
  auto on_stream(Operation operation) {
    return secure ? operation(*secure) : operation(*plain);
  }
  void close() {
    error_code ignored;
    tcp().socket().close(ignored);
  }

  // Whether an idle connection may carry a request: the server has neither closed it
  // nor sent anything (a close_notify, a stray byte) while it sat in the pool.
  bool looks_alive() {
    auto& socket = tcp().socket();
    if (!socket.is_open()) return false;
    error_code ec;
    socket.non_blocking(true, ec);
    char byte = 0;
    socket.receive(asio::buffer(&byte, 1), asio::socket_base::message_peek, ec);
    error_code ignored;
    socket.non_blocking(false, ignored);
    return ec == asio::error::would_block;
  }

  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  Clock::time_point idle_since{};
  bool stopped = false;       // a long poll's stop token cancelled it
  bool request_left = false;  // the request's bytes were handed to the socket
  asio::steady_timer stop_grace;  // a stopped poll's last wait for an answer under way
};

// How long a stopped long poll, its request already sent, still waits for the answer
// to its half-close: web::Server cancels the receive and writes what the service then
// answers (empty, or the messages it had just leased), which takes the engine's next
// turn. Generous, because a busy server that needs longer would otherwise strand
// those messages for a whole visibility timeout; a server that ignores the
// half-close is given up on after it.
constexpr auto stop_grace_period = std::chrono::seconds(2);

// A short call waiting for one of the max_connections_per_host slots. Its timer
// expires at the call's `until`; a released slot is handed over by cancelling it.
struct SlotWaiter {
  SlotWaiter(asio::io_context& io, Clock::time_point until) : timer(io, until) {}
  asio::steady_timer timer;
  bool granted = false;
};

struct State : std::enable_shared_from_this<State> {
  State(Endpoint where, const HttpClientOptions& options)
      : endpoint(std::move(where)),
        token(options.token),
        user_agent(options.user_agent),
        max_short(options.max_connections_per_host),
        idle_timeout(options.pool_idle_timeout) {
    if (endpoint.tls) tls.emplace(make_tls_context(options));
  }

  static ssl::context make_tls_context(const HttpClientOptions& options) {
    ssl::context context(ssl::context::tls_client);
    try {
      context.set_default_verify_paths();
      if (!options.ca_file.empty()) context.load_verify_file(options.ca_file);
      if (!options.ca_dir.empty()) context.add_verify_path(options.ca_dir);
    } catch (const boost::system::system_error& error) {
      throw std::invalid_argument("queue::remote: cannot load the CA certificates (" + options.ca_file + " " +
                                  options.ca_dir + "): " + error.what());
    }
    context.set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none);
    return context;
  }

  // --- short-call slots ---

  asio::awaitable<bool> acquire_slot(Clock::time_point until) {
    if (short_in_use < max_short) {
      ++short_in_use;
      co_return true;
    }
    auto waiter = std::make_shared<SlotWaiter>(io, until);
    waiters.push_back(waiter);
    co_await waiter->timer.async_wait(use_tuple);
    if (waiter->granted) co_return true;
    std::erase(waiters, waiter);
    co_return false;  // timed out, or closing
  }

  void release_slot() {
    if (!waiters.empty() && !closing) {
      // Handed over as is: the count stays, the waiter owns the slot now.
      std::shared_ptr<SlotWaiter> next = waiters.front();
      waiters.pop_front();
      next->granted = true;
      next->timer.cancel();
      return;
    }
    --short_in_use;
  }

  // --- the pool ---

  std::shared_ptr<Connection> take_idle() {
    while (!idle.empty()) {
      std::shared_ptr<Connection> connection = std::move(idle.back());
      idle.pop_back();
      if (Clock::now() - connection->idle_since < idle_timeout && connection->looks_alive()) return connection;
      connection->close();
    }
    return nullptr;
  }

  void give_back(std::shared_ptr<Connection> connection, bool reusable) {
    busy.erase(connection);
    if (!reusable || closing || connection->stopped || idle.size() >= max_short) {
      connection->close();
      return;
    }
    connection->idle_since = Clock::now();
    connection->request_left = false;
    idle.push_back(std::move(connection));
  }

  // --- one exchange ---

  http::request<http::string_body> make_request(const WireRequest& wire) const {
    http::request<http::string_body> request{http::string_to_verb(wire.method), wire.target, 11};
    request.set(http::field::host, endpoint.host_header);
    request.set(http::field::user_agent, user_agent);
    request.set(http::field::accept, "application/json");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!wire.body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = wire.body;
    }
    request.keep_alive(true);
    request.prepare_payload();
    return request;
  }

  WireOutcome failure(const Connection* connection, error_code ec, bool sent, std::string_view step) const {
    static const error_code http_error = http::error::end_of_stream;
    WireOutcome outcome;
    if (closing) {
      outcome.failure = WireFailure::closed;
    } else if (connection != nullptr && connection->stopped) {
      outcome.failure = WireFailure::stopped;
    } else if (ec == beast::error::timeout) {
      outcome.failure = WireFailure::timed_out;
    } else if (sent && ec.category() == http_error.category() && ec != http::error::end_of_stream &&
               ec != http::error::partial_message) {
      outcome.failure = WireFailure::bad_response;
    } else {
      outcome.failure = sent ? WireFailure::lost_after_write : WireFailure::not_sent;
    }
    outcome.detail = std::string(step) + ": " + ec.message();
    return outcome;
  }

  // A new connection: resolve, connect, and for https the handshake (SNI, hostname check).
  asio::awaitable<error_code> open(Connection& connection, Clock::time_point until, std::string& step) {
    step = "resolve " + endpoint.host;
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(io);
    // The resolver has no expiry of its own: a timer cancels it at `until`.
    asio::steady_timer guard(io, until);
    guard.async_wait([resolver](error_code ec) {
      if (!ec) resolver->cancel();
    });
    auto [resolve_error, addresses] = co_await resolver->async_resolve(endpoint.host, endpoint.port, use_tuple);
    guard.cancel();
    if (resolve_error) co_return Clock::now() >= until ? error_code(beast::error::timeout) : resolve_error;
    // Shutdown and stop close the socket, but none is open while resolving.
    if (closing || connection.stopped) co_return error_code(asio::error::operation_aborted);

    step = "connect to " + endpoint.origin();
    connection.tcp().expires_at(until);
    auto [connect_error, connected] = co_await connection.tcp().async_connect(addresses, use_tuple);
    if (connect_error || !connection.secure) co_return connect_error;
    error_code ignored;
    connection.tcp().socket().set_option(asio::ip::tcp::no_delay(true), ignored);

    step = "TLS handshake with " + endpoint.origin();
    // SNI names hosts, never addresses (RFC 6066); the certificate check covers both.
    error_code not_an_address;
    (void)asio::ip::make_address(endpoint.host, not_an_address);
    if (not_an_address && !SSL_set_tlsext_host_name(connection.secure->native_handle(), endpoint.host.c_str())) {
      co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    }
    connection.secure->set_verify_callback(ssl::host_name_verification(endpoint.host));
    connection.tcp().expires_at(until);
    auto [handshake_error] = co_await connection.secure->async_handshake(ssl::stream_base::client, use_tuple);
    co_return handshake_error;
  }

  asio::awaitable<WireOutcome> perform(WireRequest wire, Clock::time_point until, std::stop_token stop) {
    if (closing) co_return WireOutcome{WireFailure::closed, "the client is closed", {}};
    // Long polls neither take nor wait for a slot: acks never queue behind them.
    struct SlotHold {
      State* state = nullptr;
      ~SlotHold() {
        if (state != nullptr) state->release_slot();
      }
    } slot;
    if (!wire.long_poll) {
      if (!co_await acquire_slot(until)) {
        error_code timeout = beast::error::timeout;
        co_return failure(nullptr, timeout, false, "wait for a free connection");
      }
      slot.state = this;
    }
    if (closing) co_return WireOutcome{WireFailure::closed, "the client is closed", {}};

    std::shared_ptr<Connection> connection = take_idle();
    bool fresh = connection == nullptr;
    if (fresh) connection = std::make_shared<Connection>(io, tls ? &*tls : nullptr);
    busy.insert(connection);

    // From another thread: post, and cancel the socket on ours.
    std::optional<std::stop_callback<std::function<void()>>> on_stop;
    if (wire.long_poll && stop.stop_possible()) {
      on_stop.emplace(stop, std::function<void()>([self = weak_from_this(), weak = std::weak_ptr(connection)] {
                        if (auto state = self.lock()) {
                          asio::post(state->io, [weak] {
                            auto target = weak.lock();
                            if (!target) return;
                            target->stopped = true;
                            if (!target->request_left) {
                              // Closed rather than cancelled: a stop that lands between two
                              // steps must fail the next one too.
                              return target->close();
                            }
                            // The request is out, so the server may have leased messages to
                            // it already and be writing them. Closing now would drop that
                            // answer, and those messages would stay leased to nobody for
                            // their whole visibility timeout (a worker's SIGTERM would strand
                            // them). So half-close instead: web::Server takes the FIN as the
                            // client hanging up and cancels the parked receive, then closes
                            // (the read ends, the call answers empty); an answer it was
                            // already writing still arrives and is delivered, messages and
                            // all, for the caller to use or give back.
                            error_code ignored;
                            target->tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                            target->stop_grace.expires_after(stop_grace_period);
                            target->stop_grace.async_wait([weak](error_code ec) {
                              auto late = weak.lock();
                              if (!ec && late) late->close();
                            });
                          });
                        }
                      }));
    }

    if (fresh) {
      std::string step;
      error_code ec = co_await open(*connection, until, step);
      if (ec) {
        give_back(connection, false);
        co_return failure(connection.get(), ec, false, step);
      }
    }
    if (connection->stopped) {  // stopped before the request left
      give_back(connection, false);
      co_return failure(connection.get(), asio::error::operation_aborted, false, "stopped");
    }

    http::request<http::string_body> request = make_request(wire);
    connection->tcp().expires_at(until);
    connection->request_left = true;
    auto [write_error, written] = co_await connection->on_stream(
        [&](auto& stream) { return http::async_write(stream, request, use_tuple); });
    if (write_error) {
      give_back(connection, false);
      co_return failure(connection.get(), write_error, true, "send the request");
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_bytes);
    parser.header_limit(max_response_header_bytes);
    connection->tcp().expires_at(until);
    auto [read_error, read] = co_await connection->on_stream(
        [&](auto& stream) { return http::async_read(stream, connection->buffer, parser, use_tuple); });
    if (read_error) {
      give_back(connection, false);
      co_return failure(connection.get(), read_error, true, "read the response");
    }

    http::response<http::string_body>& response = parser.get();
    WireOutcome outcome;
    outcome.response.status = static_cast<int>(response.result_int());
    outcome.response.request_id = std::string(response["X-Request-ID"]);
    outcome.response.retry_after = wire::parse_retry_after(response[http::field::retry_after]);
    outcome.response.body = std::move(response.body());
    connection->tcp().expires_never();
    give_back(connection, parser.keep_alive());
    co_return outcome;
  }

  // --- shutdown ---

  void close_all() {
    closing = true;
    for (auto& connection : idle) connection->close();
    idle.clear();
    for (const auto& connection : busy) connection->close();
    for (const auto& waiter : waiters) waiter->timer.cancel();
    waiters.clear();
    for (const auto& timer : timers) timer->cancel();
    work.reset();  // run() returns once the cancelled operations have answered
  }

  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  const Endpoint endpoint;
  const std::string token;
  const std::string user_agent;
  const unsigned max_short;
  const std::chrono::milliseconds idle_timeout;
  std::optional<ssl::context> tls;

  bool closing = false;
  unsigned short_in_use = 0;
  std::deque<std::shared_ptr<SlotWaiter>> waiters;
  std::vector<std::shared_ptr<Connection>> idle;
  std::set<std::shared_ptr<Connection>> busy;
  std::set<std::shared_ptr<asio::steady_timer>> timers;
};

class AsioTransport final : public Transport {
 public:
  AsioTransport(Endpoint endpoint, const HttpClientOptions& options)
      : state_(std::make_shared<State>(std::move(endpoint), options)),
        // The thread owns the state too: a client dropped inside one of its own callbacks
        // cannot join its thread, so the thread outlives it and frees the state last.
        thread_([state = state_] { state->io.run(); }) {}

  ~AsioTransport() override { shutdown(); }

  void exchange(WireRequest request, Clock::time_point until, std::stop_token stop,
                std::function<void(WireOutcome)> done) override {
    auto state = state_;
    asio::co_spawn(
        state->io,
        [state, request = std::move(request), until, stop = std::move(stop),
         done = std::move(done)]() mutable -> asio::awaitable<void> {
          WireOutcome outcome = co_await state->perform(std::move(request), until, std::move(stop));
          done(std::move(outcome));
        },
        asio::detached);
  }

  void run_at(Clock::time_point when, std::function<void(bool closed)> task) override {
    asio::post(state_->io, [state = state_, when, task = std::move(task)]() mutable {
      if (state->closing) return task(true);
      auto timer = std::make_shared<asio::steady_timer>(state->io, when);
      state->timers.insert(timer);
      timer->async_wait([state, timer, task = std::move(task)](error_code ec) {
        state->timers.erase(timer);
        task(ec || state->closing);
      });
    });
  }

  void shutdown() override {
    if (!thread_.joinable()) return;
    asio::post(state_->io, [state = state_] { state->close_all(); });
    if (std::this_thread::get_id() == thread_.get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Transport> make_asio_transport(Endpoint endpoint, const HttpClientOptions& options) {
  return std::make_unique<AsioTransport>(std::move(endpoint), options);
}

}  // namespace queue::remote
