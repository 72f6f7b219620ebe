// The HTTP/1.1 server: N worker threads, each running an io_context of its own, and
// one Session per connection, on the io_context it was accepted onto (round robin).
//
// A connection's life: read a request (read_timeout for head and body), hand it
// to App::dispatch, write the answer, and wait for the next one (idle_timeout).
// When the handler answers later (an async route), the request is "parked": the
// session keeps a read pending so that a client hanging up is noticed at once
// and the handler's on_cancel callbacks run; bytes that arrive meanwhile
// (pipelining) stay in the buffer for the next request. A client that only
// half-closes (FIN, still reading) cancels too, but still gets the answer the
// handler gives, which may be more than "nothing" (on_watch).
//
// Why so few system calls per request (docs/performance.md, "System calls per
// request"): a request that arrives whole and is answered during App::dispatch costs
// the epoll_wait that reports it, one recvmsg, one sendmsg, and the recvmsg that
// finds the next request not there yet (Asio reads speculatively).
// - One io_context per thread: with one shared by all workers, Asio woke a second
//   thread (futex) whenever one ran a handler while more were queued, and that thread
//   polled epoll again; here no thread wakes another except to hand over an answer
//   given on it for a connection of another thread.
// - The request is parsed from the bytes already read, on the spot (Beast's
//   async_read_header posts its completion even when it reads nothing: a queue round
//   trip and another epoll_wait), and the answer is written with one non-blocking
//   send; only what the socket does not take at once is written asynchronously.
// - Timeouts are LazyDeadline's: moving a deadline later costs nothing.
// The price of a thread per io_context: a connection stays on its thread, so a
// handler that blocks its thread delays that thread's other connections even while
// another thread is idle (ServerOptions::threads). Queue's handlers never block; a
// slow one should answer through a Responder from a thread of its own.
#include "web/server.h"

#include <atomic>
#include <cstdio>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "common/log.h"
#include "web/io_context_pool.h"
#include "web/lazy_deadline.h"
#include "web/request_id.h"

namespace web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Reading 16 KiB per call (an empty flat_buffer made Beast read 512 bytes at a time)
// measured +60% POST throughput.
constexpr std::size_t kReadChunk = 16 * 1024;
// Pipelined bytes kept while a request is parked; past this we stop reading until it is answered.
constexpr std::size_t kMaxPipelinedBytes = 64 * 1024;
// After an error response on a connection we close, unread request bytes would make the
// kernel answer with a reset that can destroy the response in flight: read and drop them
// for this long first (nginx's lingering close).
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

// Answers given from other threads reach a session only while the io_context exists.
struct Lifetime {
  std::mutex mutex;
  bool alive = true;
};

// Identifies the App::dispatch call running on this thread, so an answer given
// during it is taken directly instead of being posted back to the session's strand.
std::atomic<std::uint64_t> next_dispatch_id{1};
thread_local std::uint64_t current_dispatch_id = 0;

class Session;

// Every open connection, so shutdown can drain idle ones and force-close the rest.
class Connections {
 public:
  bool add(const std::shared_ptr<Session>& session);  // false once draining
  void remove(Session* session);
  bool draining() const { return draining_.load(std::memory_order_acquire); }
  void start_draining() { draining_.store(true, std::memory_order_release); }
  // Asks every session to close when idle; calls `on_empty` once all are gone.
  void drain(std::function<void()> on_empty);
  void force_close_all();

 private:
  std::vector<std::shared_ptr<Session>> snapshot() const;

  mutable std::mutex mutex_;
  std::unordered_map<Session*, std::shared_ptr<Session>> sessions_;
  std::atomic<bool> draining_{false};
  std::function<void()> on_empty_;
};

struct SessionContext {
  const App& app;
  const ServerOptions& options;
  Connections& connections;
  std::shared_ptr<Lifetime> lifetime;
};

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == beast::http::make_error_code(http::error::bad_target).category();
}

bool is_valid_field_text(std::string_view text) { return text.find_first_of("\r\n") == std::string_view::npos; }

std::string format_duration_ms(std::chrono::steady_clock::duration elapsed) {
  char buffer[32];
  double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  std::snprintf(buffer, sizeof buffer, "%.3f", ms);
  return buffer;
}

http::response<http::string_body> to_beast(Response response, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> out;
  out.version(version);
  out.result(response.status >= 100 && response.status <= 999 ? static_cast<unsigned>(response.status) : 500u);
  for (auto& [name, value] : response.headers) {
    if (name.empty() || !is_valid_field_text(name) || !is_valid_field_text(value)) {
      // Header injection through a handler's header value is refused, not passed on.
      common::log::warn("invalid_response_header", {{"name", name}});
      continue;
    }
    out.insert(name, value);
  }
  unsigned status = out.result_int();
  bool bodiless_status = status / 100 == 1 || status == 204 || status == 304;
  if (!bodiless_status) out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  if (head) {
    // A HEAD answer announces the GET body's length but carries none.
    std::size_t length = out.body().size();
    out.body().clear();
    if (!bodiless_status) out.content_length(length);
  } else {
    out.prepare_payload();
  }
  return out;
}

template <class Fields>
Request::Headers to_headers(const Fields& fields) {
  Request::Headers headers;
  for (const auto& field : fields) headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  return headers;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const SessionContext& context)
      : socket_(std::move(socket)), deadline_(socket_.get_executor()), context_(context) {
    buffer_.reserve(kReadChunk);
    beast::error_code ec;
    tcp::endpoint remote = socket_.remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
    // Answers are sent with one non-blocking send (write_response); Asio's reads and
    // writes stay asynchronous either way.
    socket_.non_blocking(true, ec);
  }

  void start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->wait_for_next_request(); });
  }

  // Shutdown began: an idle keep-alive connection closes now, a busy one after its answer.
  void drain() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::idle) self->close();
    });
  }

  // The drain timeout passed: close whatever state the connection is in.
  void force_close() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::parked && self->request_) self->request_->cancel();
      self->close();
    });
  }

 private:
  using clock = std::chrono::steady_clock;
  enum class Phase { idle, reading, handling, parked, writing, lingering, closed };

  void expires_at(clock::time_point at) { deadline_.expires_at(at, shared_from_this(), &Session::on_timeout); }
  void expires_after(std::chrono::milliseconds timeout) { expires_at(clock::now() + timeout); }
  // Whatever the connection was doing, it took too long: its pending operations end
  // with operation_aborted and find the session closed.
  void on_timeout() { close(); }

  // --- reading a request ---

  void wait_for_next_request() {
    if (context_.connections.draining() || read_ended_) return close();
    const auto& options = context_.options;
    if (watching_) {
      // A read is pending already (on_read_after_answer), and nothing is buffered.
      phase_ = Phase::idle;
      expires_after(options.idle_timeout);
      return;
    }
    if (buffer_.size() > 0) {
      // Pipelined: parsed on a later turn of the loop, so that a long pipeline does not
      // nest one request's answer inside the previous one's on this thread's stack.
      net::post(socket_.get_executor(), [self = shared_from_this()] {
        if (self->phase_ == Phase::closed) return;
        self->read_request(clock::now() + self->context_.options.read_timeout);
      });
      return;
    }
    // A new connection owes its first request within read_timeout; a kept-alive one may idle longer.
    const bool first = requests_answered_ == 0;
    const auto waiting_since = clock::now();
    phase_ = Phase::idle;
    expires_at(waiting_since + (first ? options.read_timeout : options.idle_timeout));
    socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this(), first, waiting_since](
                                                             beast::error_code ec, std::size_t n) {
      if (self->phase_ == Phase::closed) return;
      if (ec) return self->close();  // timed out, or the client left
      self->buffer_.commit(n);
      const auto& read_timeout = self->context_.options.read_timeout;
      self->read_request((first ? waiting_since : clock::now()) + read_timeout);
    });
  }

  void read_request(clock::time_point deadline) {
    phase_ = Phase::reading;
    version_ = 11;  // until the request line says otherwise
    keep_alive_ = true;
    head_request_ = false;
    continue_sent_ = false;
    parser_.emplace();
    parser_->eager(true);  // the body is parsed as it comes, in the same call as the head
    parser_->body_limit(context_.options.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(context_.options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    // One deadline for head, body, and a 100 Continue in between.
    expires_at(deadline);
    parse_buffered();
  }

  // Feeds the parser what was read (what http::async_read does, without posting a
  // completion when no read was needed); reads more while the request is incomplete.
  void parse_buffered() {
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code ec;
      const std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) return on_request(ec);
      if (used == 0) break;
    }
    if (parser_->is_done()) return on_request({});
    if (parser_->is_header_done() && !continue_sent_ && expects_continue()) return send_continue();
    read_more();
  }

  void read_more() {
    socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](beast::error_code ec,
                                                                                      std::size_t n) {
      if (self->phase_ == Phase::closed) return;
      if (ec == net::error::eof) {
        // The client stopped sending: a request cut short, or none begun.
        if (!self->parser_->got_some()) return self->on_request(http::error::end_of_stream);
        self->parser_->put_eof(ec);
        if (!ec && !self->parser_->is_done()) ec = http::error::partial_message;
        return self->on_request(ec);
      }
      if (ec) return self->on_request(ec);
      self->buffer_.commit(n);
      self->parse_buffered();
    });
  }

  bool expects_continue() const {
    const auto& head = parser_->get();
    auto expect = head.find(http::field::expect);
    return expect != head.end() && beast::iequals(expect->value(), "100-continue");
  }

  // Clients like curl wait a second for this before sending a large body.
  void send_continue() {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    continue_sent_ = true;
    net::async_write(socket_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->phase_ == Phase::closed) return;
      if (ec) return self->close();
      self->read_more();
    });
  }

  void on_request(beast::error_code ec) {
    if (phase_ == Phase::closed) return;
    if (ec == http::error::body_limit) {
      return reject(Error{413, codes::payload_too_large,
                          "request body exceeds " + std::to_string(context_.options.max_body_bytes) + " bytes",
                          {}},
                    /*with_target=*/true);
    }
    if (ec == http::error::header_limit) {
      return reject(Error{431, codes::headers_too_large, "request header fields are too large", {}},
                    /*with_target=*/true);
    }
    // A client that stops mid-request, or never starts, gets no answer: there is nobody to read it.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return close();
    if (ec && is_http_error(ec)) {
      return reject(Error{400, codes::bad_request, "malformed HTTP request: " + ec.message(), {}},
                    /*with_target=*/false);
    }
    if (ec) return close();  // read timeout, reset, ...

    auto message = parser_->release();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    head_request_ = message.method() == http::verb::head;
    std::shared_ptr<Request> request;
    try {
      request = std::make_shared<Request>(std::string(message.method_string()), std::string(message.target()),
                                          to_headers(message), std::move(message.body()));
    } catch (const HttpError& e) {  // a target that is not a valid origin-form URL
      answer_before_dispatch(std::make_shared<Request>(), e.error(), /*then_close=*/false);
      return;
    }
    identify(*request);
    dispatch(std::move(request));
  }

  void identify(Request& request) {
    request.set_request_id(detail::request_id_for(request.header("X-Request-ID")));
    request.set_remote_address(remote_);
    request.set_received_at(std::chrono::steady_clock::now());
  }

  // An error found while reading: answered, then the connection closed, since the rest
  // of the stream cannot be trusted to be the next request. A request too large is
  // answered by the blueprint owning its target when the request line got that far;
  // malformed HTTP (`with_target` false) by the app.
  void reject(const Error& error, bool with_target) {
    std::shared_ptr<Request> request;
    const auto& head = parser_->get();  // what was parsed before the error
    if (with_target && !head.target().empty()) {
      version_ = head.version();
      try {
        request = std::make_shared<Request>(std::string(head.method_string()), std::string(head.target()),
                                            to_headers(head), std::string());
      } catch (const HttpError&) {
        request.reset();  // not a valid target after all
      }
    }
    if (!request) request = std::make_shared<Request>();
    answer_before_dispatch(std::move(request), error, /*then_close=*/true);
  }

  void answer_before_dispatch(std::shared_ptr<Request> request, const Error& error, bool then_close) {
    identify(*request);
    if (then_close) {
      keep_alive_ = false;
      linger_ = true;
    }
    request_ = std::move(request);
    write_response(context_.app.error_response(*request_, error));
  }

  // --- handling it ---

  void dispatch(std::shared_ptr<Request> request) {
    phase_ = Phase::handling;
    request_ = request;
    const std::uint64_t dispatch_id = next_dispatch_id.fetch_add(1, std::memory_order_relaxed);
    const std::uint64_t outer_dispatch_id = current_dispatch_id;
    current_dispatch_id = dispatch_id;
    try {
      context_.app.dispatch(std::move(request), answer_callback(dispatch_id));
    } catch (const std::exception& e) {  // App::dispatch handles handlers' exceptions; this is bad_alloc
      current_dispatch_id = outer_dispatch_id;
      common::log::error("dispatch_failed", {{"request_id", request_->request_id()}, {"error", e.what()}});
      return close();
    }
    current_dispatch_id = outer_dispatch_id;

    if (ready_) {
      Response response = std::move(*ready_);
      ready_.reset();
      return write_response(std::move(response));
    }
    phase_ = Phase::parked;
    watch_for_hangup();
  }

  // How App::dispatch hands the answer back: directly when given during dispatch on this
  // thread (no post, the common synchronous case), else posted to the session's strand.
  std::function<void(Response)> answer_callback(std::uint64_t dispatch_id) {
    return [session = weak_from_this(), raw = this, dispatch_id, lifetime = context_.lifetime](Response response) {
      if (current_dispatch_id == dispatch_id) {
        raw->ready_ = std::move(response);  // we are inside raw->dispatch(), on its thread
        return;
      }
      std::lock_guard lock(lifetime->mutex);
      if (!lifetime->alive) return;
      if (auto self = session.lock()) {
        net::post(self->socket_.get_executor(), [self, response = std::move(response)]() mutable {
          self->on_late_answer(std::move(response));
        });
      }
    };
  }

  void on_late_answer(Response response) {
    if (phase_ != Phase::parked) return;  // the client left or the connection was force-closed
    if (watching_ && buffer_.size() > 0) {
      // Pipelined bytes wait in the buffer: the pending read must end before they are parsed.
      ready_ = std::move(response);
      beast::error_code ignored;
      socket_.cancel(ignored);  // on_watch() writes it once the pending read is done
      return;
    }
    // Nothing buffered: a pending watch read stays, as the next request's first read
    // (on_read_after_answer), rather than being cancelled and replaced by a read that
    // would find nothing yet (a recv returning EAGAIN, per parked request).
    write_response(std::move(response));
  }

  void watch_for_hangup() {
    if (buffer_.size() >= kMaxPipelinedBytes) return;
    watching_ = true;
    expires_at(detail::LazyDeadline::never);  // a parked request waits as long as its handler says
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->on_watch(ec, n);
                            });
  }

  void on_watch(beast::error_code ec, std::size_t n) {
    watching_ = false;
    if (phase_ == Phase::closed) return;
    if (phase_ != Phase::parked) return on_read_after_answer(ec, n);
    if (ec == net::error::eof && n == 0) {
      // The client half-closed: it will send nothing more but still reads. That is how
      // a client stops a long poll it already sent (queue/remote): the handler may be
      // answering right now (a receive that leased messages), and dropping that answer
      // would leave its messages leased to nobody. So cancel, which makes a waiting
      // handler answer at once, and write whatever answer comes, then close.
      // Bounded: a handler that ignores the cancel gets write_timeout to answer.
      read_ended_ = true;
      keep_alive_ = false;
      expires_after(context_.options.write_timeout);
      request_->cancel();
      return;
    }
    if (ec && ec != net::error::operation_aborted) {
      // The client hung up while its request was parked. 499 is nginx's "client closed request".
      log_access(499);
      request_->cancel();
      return close();
    }
    buffer_.commit(n);  // pipelined bytes: the next request's
    if (ready_) {
      Response response = std::move(*ready_);
      ready_.reset();
      return write_response(std::move(response));
    }
    if (!ec) watch_for_hangup();
  }

  // The watch read outlived the parked request (on_late_answer): it reads the next one.
  void on_read_after_answer(beast::error_code ec, std::size_t n) {
    if (ec && phase_ == Phase::writing) {
      read_ended_ = true;  // the answer still goes out; wait_for_next_request() then closes
      return;
    }
    if (ec) return close();  // timed out, or the client left
    buffer_.commit(n);
    // While the answer is still being written, wait_for_next_request() finds these bytes.
    if (phase_ == Phase::idle) read_request(clock::now() + context_.options.read_timeout);
  }

  // --- answering ---

  void write_response(Response response) {
    phase_ = Phase::writing;
    close_after_write_ = !keep_alive_ || context_.connections.draining();
    log_access(response.status);
    response_ = to_beast(std::move(response), version_, !close_after_write_, head_request_);
    serializer_.emplace(response_);
    // Most answers fit the socket's send buffer: one send (head and body together), and
    // no completion to queue. What it does not take at once is written asynchronously,
    // under write_timeout, so a large answer never holds this thread's other connections.
    beast::error_code ec;
    http::write_some(socket_, *serializer_, ec);
    if (!ec && serializer_->is_done()) return on_write(ec);
    if (ec && ec != net::error::would_block && ec != net::error::try_again) return on_write(ec);
    expires_after(context_.options.write_timeout);
    http::async_write(socket_, *serializer_, [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
      self->on_write(write_ec);
    });
  }

  void on_write(beast::error_code ec) {
    if (phase_ == Phase::closed) return;
    request_.reset();
    serializer_.reset();
    response_ = {};
    if (ec) return close();
    ++requests_answered_;
    if (linger_) return linger_then_close();
    if (close_after_write_) return close();
    wait_for_next_request();
  }

  // One line per request, batched (common/log.h): written at once it was a write(2) per request.
  void log_access(int status) const {
    const Request& request = *request_;
    const auto elapsed = std::chrono::steady_clock::now() - request.received_at();
    common::log::write_batched(common::log::Level::info, "request",
                               {{"method", request.method()},
                                {"path", request.path()},
                                {"status", status},
                                {"duration_ms", format_duration_ms(elapsed)},
                                {"request_id", request.request_id()},
                                {"blueprint", request.blueprint()},
                                {"remote", remote_}});
  }

  // --- closing ---

  void linger_then_close() {
    phase_ = Phase::lingering;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    expires_after(kLingerTimeout);
    discard_until_closed();
  }

  void discard_until_closed() {
    socket_.async_read_some(buffer_.prepare(kReadChunk), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->phase_ == Phase::closed) return;
      if (ec) return self->close();
      self->discard_until_closed();
    });
  }

  void close() {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    deadline_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    context_.connections.remove(this);
  }

  tcp::socket socket_;
  detail::LazyDeadline deadline_;
  const SessionContext& context_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::optional<http::response_serializer<http::string_body>> serializer_;  // of response_, while it is written
  std::shared_ptr<Request> request_;   // the one being handled or answered
  std::optional<Response> ready_;      // an answer not yet being written
  Phase phase_ = Phase::idle;
  std::uint64_t requests_answered_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool watching_ = false;    // a hang-up watch read is pending (it may outlive the parked request)
  bool read_ended_ = false;  // that read failed (the client left) while the answer was written
  bool linger_ = false;
  bool close_after_write_ = false;
  bool continue_sent_ = false;  // 100 Continue, for the request being read
};

bool Connections::add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  if (draining()) return false;
  sessions_.emplace(session.get(), session);
  return true;
}

void Connections::remove(Session* session) {
  std::function<void()> on_empty;
  std::shared_ptr<Session> removed;  // released outside the lock
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(session);
    if (it == sessions_.end()) return;
    removed = std::move(it->second);
    sessions_.erase(it);
    if (sessions_.empty() && on_empty_) on_empty.swap(on_empty_);
  }
  if (on_empty) on_empty();
}

std::vector<std::shared_ptr<Session>> Connections::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Session>> sessions;
  sessions.reserve(sessions_.size());
  for (const auto& entry : sessions_) sessions.push_back(entry.second);
  return sessions;
}

void Connections::drain(std::function<void()> on_empty) {
  start_draining();
  {
    std::lock_guard lock(mutex_);
    if (!sessions_.empty()) {
      on_empty_ = std::move(on_empty);
      on_empty = nullptr;
    }
  }
  if (on_empty) return on_empty();
  for (const auto& session : snapshot()) session->drain();
}

void Connections::force_close_all() {
  for (const auto& session : snapshot()) session->force_close();
}

net::ip::address parse_listen_address(const std::string& host) {
  if (host == "localhost") return net::ip::address_v4::loopback();
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + host + "': expected an IP address or localhost");
  return address;
}

}  // namespace

struct Server::Impl {
  Impl(App& app_in, ServerOptions options_in)
      : app(app_in),
        options(std::move(options_in)),
        contexts(std::max(1u, options.threads)),
        acceptor(contexts.at(0)),
        accept_retry_timer(acceptor.get_executor()),
        drain_timer(contexts.at(0)),
        context{app, options, connections, lifetime} {}

  void accept() {
    acceptor.async_accept(contexts.next(), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Typically out of file descriptors: back off instead of spinning.
        common::log::warn("accept_failed", {{"error", ec.message()}});
        accept_retry_timer.expires_after(kAcceptRetryDelay);
        accept_retry_timer.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && acceptor.is_open()) accept();
        });
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto session = std::make_shared<Session>(std::move(socket), context);
      if (connections.add(session)) session->start();
      accept();
    });
  }

  void run_worker(std::size_t index) {
    for (;;) {
      try {
        contexts.at(index).run();
        return;
      } catch (const std::exception& e) {
        common::log::error("worker_exception", {{"error", e.what()}});
      }
    }
  }

  void finish_drain() {
    std::lock_guard lock(drain_mutex);
    drain_timer.cancel();
    contexts.release();
  }

  App& app;
  const ServerOptions options;
  detail::IoContextPool contexts;  // declared before everything that uses them, so destroyed after
  tcp::acceptor acceptor;           // on the first context, as are the server's timers and signals
  net::steady_timer accept_retry_timer;
  std::mutex drain_mutex;  // guards drain_timer, the contexts' hold and signals across threads
  net::steady_timer drain_timer;
  std::optional<net::signal_set> signals;
  Connections connections;
  std::shared_ptr<Lifetime> lifetime = std::make_shared<Lifetime>();
  SessionContext context;
  std::mutex threads_mutex;
  std::vector<std::thread> threads;
  std::atomic<unsigned short> port{0};
  std::atomic<bool> started{false};
  std::atomic<bool> shutting_down{false};
};

Server::Server(App& app, ServerOptions options) : impl_(std::make_unique<Impl>(app, std::move(options))) {}

Server::~Server() {
  shutdown();
  wait();
  std::lock_guard lock(impl_->lifetime->mutex);
  impl_->lifetime->alive = false;
}

void Server::start() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("Server::start() called twice");
  const ServerOptions& options = impl.options;
  tcp::endpoint endpoint(parse_listen_address(options.host), options.port);
  const std::string where = options.host + ":" + std::to_string(options.port);

  beast::error_code ec;
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  }
  impl.port = impl.acceptor.local_endpoint().port();

  ServingInfo info{options.host, impl.port, options.host == "localhost" || endpoint.address().is_loopback()};
  try {
    impl.app.before_serving(info);
  } catch (const std::exception& e) {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    throw std::runtime_error("refusing to serve on " + where + ": " + e.what());
  }

  impl.contexts.hold();
  impl.accept();
  {
    std::lock_guard lock(impl.threads_mutex);
    for (std::size_t i = 0; i < impl.contexts.size(); ++i) {
      impl.threads.emplace_back([&impl, i] { impl.run_worker(i); });
    }
  }
  impl.started = true;
  common::log::info("listening", {{"app", impl.app.name()},
                                  {"host", options.host},
                                  {"port", impl.port.load()},
                                  {"threads", std::max(1u, options.threads)}});
}

unsigned short Server::port() const { return impl_->port; }

void Server::shutdown() {
  Impl& impl = *impl_;
  if (!impl.started || impl.shutting_down.exchange(true)) return;
  common::log::info("draining", {{"app", impl.app.name()}});

  // Answers written from here on say Connection: close.
  impl.connections.start_draining();
  net::post(impl.acceptor.get_executor(), [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.accept_retry_timer.cancel();
  });
  {
    std::lock_guard lock(impl.drain_mutex);
    if (impl.signals) {
      net::post(impl.signals->get_executor(), [&impl] {
        std::lock_guard signals_lock(impl.drain_mutex);
        if (impl.signals) impl.signals->cancel();
      });
    }
    impl.drain_timer.expires_after(impl.options.drain_timeout);
    impl.drain_timer.async_wait([&impl](beast::error_code ec) {
      if (ec) return;  // drained in time
      common::log::warn("drain_timeout", {{"app", impl.app.name()}});
      impl.connections.force_close_all();
    });
  }
  // Blueprints answer their parked requests (long polls) and stop their own threads.
  impl.app.shutdown();
  impl.connections.drain([&impl] { impl.finish_drain(); });
}

void Server::wait() {
  std::lock_guard lock(impl_->threads_mutex);
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
  impl_->threads.clear();
}

int Server::run_until_signal() {
  Impl& impl = *impl_;
  std::promise<void> stop_requested;
  {
    // Installed before serving, so a SIGTERM can never find the default action (death) in place.
    std::lock_guard lock(impl.drain_mutex);
    impl.signals.emplace(impl.contexts.at(0), SIGINT, SIGTERM);
    impl.signals->async_wait([&impl, &stop_requested](beast::error_code ec, int signal_number) {
      if (!ec) common::log::info("signal", {{"app", impl.app.name()}, {"signal", signal_number}});
      stop_requested.set_value();  // a signal, or shutdown() called from elsewhere
    });
  }
  try {
    start();
  } catch (...) {
    std::lock_guard lock(impl.drain_mutex);
    impl.signals.reset();
    throw;
  }
  stop_requested.get_future().wait();
  shutdown();
  wait();
  std::lock_guard lock(impl.drain_mutex);
  impl.signals.reset();
  return 0;
}

}  // namespace web
