// An HTTP request as handlers see it: decoded path, path parameters, query, headers, body.
//
// Built by the server (or by a test) and owned by the connection until the
// response is sent: an asynchronous handler must copy what it needs before it
// returns if it may answer after the connection is gone.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace web {

namespace detail {
class Cancellation;
std::shared_ptr<Cancellation> make_cancellation();
struct ResponderState;
}  // namespace detail

class Request {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  Request() = default;
  // `target` is the raw request-target (origin form: path and optional query).
  // Throws HttpError(400) when the target is not a valid origin-form URL.
  Request(std::string method, std::string target, Headers headers, std::string body);

  const std::string& method() const { return method_; }
  const std::string& target() const { return target_; }
  const std::string& path() const { return path_; }  // percent-decoded, without the query
  // The path's segments, each percent-decoded on its own ("/a/b%2Fc" is {"a", "b/c"}; "/" is {}).
  const std::vector<std::string>& segments() const { return segments_; }
  const std::string& body() const { return body_; }
  const Headers& headers() const { return headers_; }

  std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
  // The first value of a query parameter, percent-decoded.
  std::optional<std::string> query(std::string_view key) const;
  // A `{name}` segment of the matched route; empty when the route has no such parameter.
  std::string_view param(std::string_view name) const;

  const std::string& request_id() const { return request_id_; }
  const std::string& remote_address() const { return remote_address_; }
  std::chrono::steady_clock::time_point received_at() const { return received_at_; }
  // The matched route's full pattern, e.g. "/api/v1/queues/{queue}" ("" when no route
  // matched): what metrics label a request with, never the raw path.
  const std::string& route() const { return route_; }
  // The name of the blueprint that owns this request's path ("" when none does).
  const std::string& blueprint() const { return blueprint_; }

  // Set by the server and the router.
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  void set_remote_address(std::string address) { remote_address_ = std::move(address); }
  void set_received_at(std::chrono::steady_clock::time_point t) { received_at_ = t; }
  void set_blueprint(std::string name) { blueprint_ = std::move(name); }
  void set_route(std::string pattern) { route_ = std::move(pattern); }
  void set_params(std::vector<std::pair<std::string, std::string>> params) { params_ = std::move(params); }
  // The client went away before it was answered: runs the on_cancel callbacks of the
  // request's Responder, once. Called by the server (tests may call it too).
  void cancel() const;

 private:
  friend struct detail::ResponderState;

  std::string method_;
  std::string target_;
  std::string path_;
  std::vector<std::string> segments_;
  std::vector<std::pair<std::string, std::string>> query_params_;  // decoded, in order
  Headers headers_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::string request_id_;
  std::string remote_address_;
  std::string blueprint_;
  std::string route_;
  std::chrono::steady_clock::time_point received_at_ = std::chrono::steady_clock::now();
  // Shared by copies of the request, so the server's copy can cancel the handler's.
  std::shared_ptr<detail::Cancellation> cancellation_ = detail::make_cancellation();
};

}  // namespace web
