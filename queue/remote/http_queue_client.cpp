// QueueClient over API v1: each call becomes a WireRequest (endpoint.h, wire_codec.h),
// runs on the Transport with retries (retry_policy.h), and its answer or failure
// becomes the contract's Result. No Asio here: see asio_transport.cpp.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>

#include "queue/remote/http_client.h"
#include "queue/remote/retry_policy.h"
#include "queue/remote/transport.h"
#include "queue/remote/wire_codec.h"

namespace queue::remote {
namespace {

using contract::CallOptions;
using contract::Error;
using contract::ErrorCode;
using contract::Result;

// What every call of one client shares. Calls hold it by shared_ptr, so a call still
// answering after the client was dropped (on the transport's thread) finds it alive.
struct Shared {
  Shared(HttpClientOptions client_options, Endpoint where)
      : options(std::move(client_options)),
        endpoint(std::move(where)),
        budget(options.retry_budget, options.retry_cost, options.retry_refund),
        backoff(options.backoff_base, options.backoff_cap),
        transport(make_asio_transport(endpoint, options)) {}

  const HttpClientOptions options;
  const Endpoint endpoint;
  // Touched only on the transport's thread, where every attempt ends.
  RetryBudget budget;
  Backoff backoff;
  std::unique_ptr<Transport> transport;
};

// How to carry out one call of the contract.
template <typename T>
struct CallSpec {
  WireRequest request;
  Replay replay = Replay::safe;
  std::function<Result<T>(const WireResponse&)> decode = {};
  // Long polls: one attempt may take wait_s + margin; a stop answers `when_stopped`.
  std::optional<Clock::duration> attempt_timeout = {};
  std::optional<Result<T>> when_stopped = {};
};

Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), {}, {}}; }

// One call through its attempts. Every method after start() runs on the transport's thread.
template <typename T>
class Call : public std::enable_shared_from_this<Call<T>> {
 public:
  Call(std::shared_ptr<Shared> shared, CallSpec<T> spec, CallOptions options, contract::Callback<T> done)
      : shared_(std::move(shared)), spec_(std::move(spec)), options_(std::move(options)), done_(std::move(done)) {}

  void start() {
    // Even the first attempt starts on the transport's thread, so the callback always
    // runs there (the contract's promise), never inside the caller's call.
    shared_->transport->run_at(Clock::now(), [self = this->shared_from_this()](bool closed) {
      if (closed) return self->finish(client_closed());
      if (self->spec_.when_stopped && self->options_.stop.stop_requested()) return self->finish(*self->spec_.when_stopped);
      self->attempt();
    });
  }

 private:
  static Error client_closed() { return make_error(ErrorCode::unavailable, "the Queue client was closed"); }

  void attempt() {
    Clock::time_point now = Clock::now();
    if (now >= options_.deadline) {
      return finish(make_error(ErrorCode::deadline_exceeded, "the call's deadline passed before it was sent"));
    }
    ++attempts_;
    Clock::time_point until = options_.deadline;
    if (spec_.attempt_timeout) until = std::min(until, now + *spec_.attempt_timeout);
    std::stop_token stop = spec_.request.long_poll ? options_.stop : std::stop_token{};
    shared_->transport->exchange(spec_.request, until, std::move(stop),
                                 [self = this->shared_from_this()](WireOutcome outcome) {
                                   self->on_outcome(std::move(outcome));
                                 });
  }

  void on_outcome(WireOutcome outcome) {
    const std::string& origin = shared_->endpoint.origin();
    switch (outcome.failure) {
      case WireFailure::none: return on_response(std::move(outcome.response));
      case WireFailure::not_sent:
        return retry_or_fail(make_error(ErrorCode::unavailable, "cannot reach Queue at " + origin + ": " + outcome.detail),
                             AttemptEnd::not_sent);
      case WireFailure::lost_after_write:
        return retry_or_fail(make_error(ErrorCode::unavailable,
                                        "connection to " + origin +
                                            " lost after the request was sent (it may have taken effect): " +
                                            outcome.detail),
                             AttemptEnd::maybe_applied);
      case WireFailure::timed_out:
        if (Clock::now() >= options_.deadline) {
          return finish(make_error(ErrorCode::deadline_exceeded, "no answer from " + origin + " before the deadline"));
        }
        // Only a long poll's own limit (wait_s + margin) ends before the deadline.
        return finish(make_error(ErrorCode::unavailable,
                                 "no answer from " + origin + " to a long poll within its wait plus margin"));
      case WireFailure::stopped:
        if (spec_.when_stopped) return finish(std::move(*spec_.when_stopped));
        return finish(make_error(ErrorCode::internal_error, "a call that is not a long poll was stopped"));
      case WireFailure::bad_response:
        return finish(make_error(ErrorCode::internal_error, "malformed HTTP response from " + origin + ": " + outcome.detail));
      case WireFailure::closed: return finish(client_closed());
    }
  }

  void on_response(WireResponse response) {
    if (response.status >= 200 && response.status < 300) {
      shared_->budget.on_success();
      Result<T> result = spec_.decode(response);
      if (!result.ok()) {
        Error error = result.error();
        error.request_id = response.request_id;
        return finish(std::move(error));
      }
      return finish(std::move(result));
    }
    Error error = wire::parse_error(response.status, response.body, response.request_id, response.retry_after);
    retry_or_fail(std::move(error), retryable_status(response.status) ? AttemptEnd::maybe_applied : AttemptEnd::final);
  }

  // Tries again after a backoff when the rules allow it; else answers `error`.
  void retry_or_fail(Error error, AttemptEnd end) {
    if (!may_retry(spec_.replay, end) || attempts_ >= shared_->options.retry_attempts) return finish(std::move(error));
    Clock::duration delay = shared_->backoff.delay(attempts_);
    // Retry-After is the server's word: wait at least that long, or give up now if it
    // lies beyond the deadline (the caller gets the 503 and its retry_after at once).
    if (error.retry_after) delay = std::max<Clock::duration>(delay, *error.retry_after);
    Clock::time_point when = Clock::now() + delay;
    if (when >= options_.deadline) return finish(std::move(error));
    if (!shared_->budget.try_spend()) {
      error.message += " (not retried: the client's retry budget is spent)";
      return finish(std::move(error));
    }
    shared_->transport->run_at(when, [self = this->shared_from_this()](bool closed) {
      if (closed) return self->finish(client_closed());
      if (self->spec_.when_stopped && self->options_.stop.stop_requested()) return self->finish(*self->spec_.when_stopped);
      self->attempt();
    });
  }

  void finish(Result<T> result) {
    contract::Callback<T> done = std::move(done_);
    if (done) done(std::move(result));
  }

  std::shared_ptr<Shared> shared_;
  CallSpec<T> spec_;
  CallOptions options_;
  contract::Callback<T> done_;
  int attempts_ = 0;
};

// A decoder of the body alone, for the many calls whose status says nothing more.
template <typename T>
std::function<Result<T>(const WireResponse&)> body_decoder(Result<T> (*parse)(std::string_view)) {
  return [parse](const WireResponse& response) { return parse(response.body); };
}

class HttpQueueClient final : public contract::QueueClient {
 public:
  explicit HttpQueueClient(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  // Answers every pending call with `unavailable` and stops the thread (see http_client.h).
  ~HttpQueueClient() override { shared_->transport->shutdown(); }

  std::string_view transport() const override { return "http"; }

  void async_put_queue(std::string name, contract::QueuePatch patch, CallOptions call,
                       contract::Callback<contract::PutQueueResult> done) override {
    CallSpec<contract::PutQueueResult> spec{request("PUT", target({"queues", name}), wire::put_queue_body(patch))};
    spec.decode = [](const WireResponse& response) -> Result<contract::PutQueueResult> {
      Result<contract::QueueInfo> info = wire::parse_queue_info(response.body);
      if (!info.ok()) return info.error();
      return contract::PutQueueResult{response.status == 201, std::move(info).value()};
    };
    run(std::move(spec), std::move(call), std::move(done));
  }

  void async_get_queue(std::string name, CallOptions call, contract::Callback<contract::QueueInfo> done) override {
    run(CallSpec<contract::QueueInfo>{request("GET", target({"queues", name})), Replay::safe,
                                      body_decoder(wire::parse_queue_info)},
        std::move(call), std::move(done));
  }

  void async_list_queues(contract::ListQueuesRequest list, CallOptions call,
                         contract::Callback<contract::QueueList> done) override {
    Endpoint::Query query{{"limit", std::to_string(list.limit)}};
    if (!list.prefix.empty()) query.emplace_back("prefix", list.prefix);
    if (!list.cursor.empty()) query.emplace_back("cursor", list.cursor);
    run(CallSpec<contract::QueueList>{request("GET", shared_->endpoint.target({"queues"}, query)), Replay::safe,
                                      body_decoder(wire::parse_queue_list)},
        std::move(call), std::move(done));
  }

  void async_delete_queue(std::string name, CallOptions call, contract::Callback<contract::Done> done) override {
    run(CallSpec<contract::Done>{request("DELETE", target({"queues", name})), Replay::safe,
                                 [](const WireResponse&) -> Result<contract::Done> { return contract::Done{}; }},
        std::move(call), std::move(done));
  }

  void async_send(std::string queue, std::vector<contract::OutgoingMessage> messages, CallOptions call,
                  contract::Callback<contract::SendResult> done) override {
    // The server answers a repeated dedup_id with the first message's id and enqueues
    // nothing, so only a batch deduplicated in full can be sent twice harmlessly.
    bool deduplicated = !messages.empty() && std::all_of(messages.begin(), messages.end(), [](const auto& message) {
      return message.dedup_id.has_value();
    });
    run(CallSpec<contract::SendResult>{request("POST", target({"queues", queue, "messages"}), wire::send_body(messages)),
                                       deduplicated ? Replay::safe : Replay::only_unsent, body_decoder(wire::parse_sent)},
        std::move(call), std::move(done));
  }

  void async_receive(std::string queue, contract::ReceiveRequest receive, CallOptions call,
                     contract::Callback<std::vector<contract::ReceivedMessage>> done) override {
    if (!receive.ack.empty()) {
      return refuse(std::move(done), make_error(ErrorCode::invalid_request,
                                                "ack needs receive_with_acks, which answers each receipt"));
    }
    auto spec = receive_spec<std::vector<contract::ReceivedMessage>>(queue, receive, call, wire::parse_received);
    if (spec.request.long_poll) spec.when_stopped = std::vector<contract::ReceivedMessage>{};
    run(std::move(spec), std::move(call), std::move(done));
  }

  void async_receive_with_acks(std::string queue, contract::ReceiveRequest receive, CallOptions call,
                               contract::Callback<contract::ReceiveResult> done) override {
    auto spec = receive_spec<contract::ReceiveResult>(queue, receive, call, wire::parse_received_with_acks);
    if (spec.request.long_poll) {
      // Stopped before the answer came (a half-closed poll's answer still arrives, acks
      // and all): the acks may or may not have been applied.
      spec.when_stopped = receive.ack.empty()
                              ? Result<contract::ReceiveResult>(contract::ReceiveResult{})
                              : make_error(ErrorCode::unavailable,
                                           "the receive was stopped before Queue answered: its acks may or may "
                                           "not have been applied (acking them again is harmless)");
    }
    run(std::move(spec), std::move(call), std::move(done));
  }

  void async_ack(std::string queue, std::vector<std::string> receipts, CallOptions call,
                 contract::Callback<contract::AckResult> done) override {
    // Receipts are fenced: acking twice answers the second time with receipt_invalid
    // in `failed`, and never deletes a redelivery.
    run(CallSpec<contract::AckResult>{request("POST", target({"queues", queue, "ack"}), wire::receipts_body(receipts)),
                                      Replay::safe, body_decoder(wire::parse_acked)},
        std::move(call), std::move(done));
  }

  void async_change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                               CallOptions call, contract::Callback<contract::VisibilityResult> done) override {
    run(CallSpec<contract::VisibilityResult>{request("POST", target({"queues", queue, "visibility"}),
                                                     wire::visibility_body(receipts, visibility_timeout_s)),
                                             Replay::safe, body_decoder(wire::parse_visibility)},
        std::move(call), std::move(done));
  }

  void async_peek(std::string queue, contract::PeekRequest peek, CallOptions call,
                  contract::Callback<contract::PeekPage> done) override {
    Endpoint::Query query{{"state", std::string(contract::to_string(peek.state))},
                          {"limit", std::to_string(peek.limit)}};
    if (!peek.cursor.empty()) query.emplace_back("cursor", peek.cursor);
    run(CallSpec<contract::PeekPage>{
            request("GET", shared_->endpoint.target({"queues", queue, "messages"}, query)), Replay::safe,
            [state = peek.state](const WireResponse& response) { return wire::parse_peek_page(response.body, state); }},
        std::move(call), std::move(done));
  }

  void async_get_message(std::string queue, std::string message_id, CallOptions call,
                         contract::Callback<contract::PeekedMessage> done) override {
    run(CallSpec<contract::PeekedMessage>{request("GET", target({"queues", queue, "messages", message_id})),
                                          Replay::safe, body_decoder(wire::parse_peeked_message)},
        std::move(call), std::move(done));
  }

  void async_purge(std::string queue, CallOptions call, contract::Callback<contract::PurgeResult> done) override {
    // Not idempotent: a second purge would delete what was sent in between.
    run(CallSpec<contract::PurgeResult>{request("POST", target({"queues", queue, "purge"}), "{}"), Replay::only_unsent,
                                        body_decoder(wire::parse_purged)},
        std::move(call), std::move(done));
  }

  void async_redrive(std::string dead_letter_queue, contract::RedriveRequest redrive, CallOptions call,
                     contract::Callback<contract::RedriveResult> done) override {
    // Not idempotent: a second redrive would move messages that died in between.
    run(CallSpec<contract::RedriveResult>{request("POST", target({"queues", dead_letter_queue, "redrive"}),
                                                  wire::redrive_body(redrive)),
                                          Replay::only_unsent, body_decoder(wire::parse_redriven)},
        std::move(call), std::move(done));
  }

 private:
  static WireRequest request(std::string method, std::string target, std::string body = {}) {
    return WireRequest{std::move(method), std::move(target), std::move(body), false};
  }
  std::string target(std::initializer_list<std::string_view> segments) const {
    return shared_->endpoint.target(segments);
  }

  template <typename T>
  void run(CallSpec<T> spec, CallOptions call, contract::Callback<T> done) {
    std::make_shared<Call<T>>(shared_, std::move(spec), std::move(call), std::move(done))->start();
  }

  // Answers `error` without a request, on the transport's thread like every answer.
  template <typename T>
  void refuse(contract::Callback<T> done, Error error) {
    shared_->transport->run_at(Clock::now(), [done = std::move(done), error = std::move(error)](bool) {
      done(error);
    });
  }

  // Both receives' request; a long poll when wait_s is more than 0 once fitted to the deadline.
  template <typename T>
  CallSpec<T> receive_spec(const std::string& queue, const contract::ReceiveRequest& receive,
                           const CallOptions& call, Result<T> (*parse)(std::string_view)) const {
    // The server must answer before the deadline: wait at most (deadline - margin), in whole seconds.
    auto margin = shared_->options.long_poll_margin;
    std::int64_t fits = std::chrono::floor<std::chrono::seconds>(call.deadline - Clock::now() - margin).count();
    int wait_s = static_cast<int>(std::clamp<std::int64_t>(fits, 0, std::max(receive.wait_s, 0)));
    if (receive.wait_s < 0) wait_s = receive.wait_s;  // the server's to refuse, as for any bad field
    CallSpec<T> spec{request("POST", target({"queues", queue, "receive"}),
                             wire::receive_body(receive.max, receive.visibility_timeout_s, wait_s, receive.ack)),
                     Replay::only_unsent, body_decoder(parse)};
    if (wait_s > 0) {
      spec.request.long_poll = true;
      spec.attempt_timeout = std::chrono::seconds(wait_s) + margin;
    }
    return spec;
  }

  std::shared_ptr<Shared> shared_;
};

}  // namespace

std::shared_ptr<contract::QueueClient> make_http_client(HttpClientOptions options) {
  Endpoint endpoint = Endpoint::parse(options.base_url);
  if (options.retry_attempts < 1) throw std::invalid_argument("queue::remote: retry_attempts must be at least 1");
  if (options.max_connections_per_host < 1) {
    throw std::invalid_argument("queue::remote: max_connections_per_host must be at least 1");
  }
  return std::make_shared<HttpQueueClient>(std::make_shared<Shared>(std::move(options), std::move(endpoint)));
}

}  // namespace queue::remote
