#include "tests/remote/fake_server.h"

#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace remote_test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

struct FakeServer::Impl {
  Impl(Handler on_request, const TlsIdentity* identity) : handler(std::move(on_request)) {
    if (identity != nullptr) {
      tls.emplace(ssl::context::tls_server);
      tls->use_certificate_chain(asio::buffer(identity->certificate_pem));
      tls->use_private_key(asio::buffer(identity->private_key_pem), ssl::context::pem);
    }
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    asio::co_spawn(io, accept(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        ++connections;
      }
      if (tls) {
        auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), *tls);
        asio::co_spawn(io, serve_tls(stream), asio::detached);
      } else {
        auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
        asio::co_spawn(io, serve(stream), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve_tls(std::shared_ptr<beast::ssl_stream<beast::tcp_stream>> stream) {
    auto [ec] = co_await stream->async_handshake(ssl::stream_base::server, use_tuple);
    if (!ec) co_await serve(stream);
  }

  // Requests of one connection, one at a time, as the handler scripts them.
  template <typename Stream>
  asio::awaitable<void> serve(std::shared_ptr<Stream> stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [read_error, read] = co_await http::async_read(*stream, buffer, request, use_tuple);
      if (read_error) co_return;
      FakeRequest seen{std::string(request.method_string()), std::string(request.target()), request.body(),
                       std::string(request[http::field::authorization])};
      int index = 0;
      {
        std::lock_guard lock(mutex);
        index = static_cast<int>(received.size());
        received.push_back(seen);
      }
      changed.notify_all();
      FakeReply reply = handler(seen, index);
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(io, reply.delay);
        co_await timer.async_wait(use_tuple);
      }
      switch (reply.action) {
        case FakeReply::Action::hang: {
          // Reading again ends only when the client hangs up (or the server stops).
          http::request<http::string_body> next;
          co_await http::async_read(*stream, buffer, next, use_tuple);
          co_return;
        }
        case FakeReply::Action::drop: co_return;  // the stream closes with the frame
        case FakeReply::Action::raw: {
          co_await asio::async_write(*stream, asio::buffer(reply.body), use_tuple);
          co_return;
        }
        case FakeReply::Action::respond: break;
      }
      http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
      response.set(http::field::content_type, "application/json");
      for (const auto& [name, value] : reply.headers) response.set(name, value);
      response.body() = reply.body;
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      auto [write_error, written] = co_await http::async_write(*stream, response, use_tuple);
      if (write_error || !response.keep_alive()) co_return;
    }
  }

  Handler handler;
  // Before io: the coroutines still pending when io is destroyed hold streams that use it.
  std::optional<ssl::context> tls;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  unsigned short port = 0;
  std::thread thread;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<FakeRequest> received;
  std::size_t connections = 0;
};

FakeServer::FakeServer(Handler handler, const TlsIdentity* tls) : impl_(std::make_unique<Impl>(std::move(handler), tls)) {}
FakeServer::~FakeServer() = default;

unsigned short FakeServer::port() const { return impl_->port; }

std::string FakeServer::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::vector<FakeRequest> FakeServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::size_t FakeServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received.size();
}

std::size_t FakeServer::connection_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

bool FakeServer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->received.size() >= count; });
}

}  // namespace remote_test
