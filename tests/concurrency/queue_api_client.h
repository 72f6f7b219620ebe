// Queue's HTTP API as the robustness tests use it: one call per route, each answer
// typed, and "no answer" (connection refused, reset, timed out) kept apart from an
// error status, because a test that kills the server must know which requests the
// server answered and which it may or may not have carried out.
//
// One client per thread (it holds one kept-alive connection). It follows the server's
// port, so it reconnects by itself after a restart.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/concurrency/queue_server.h"
#include "tests/support/http_client.h"

namespace robustness {

// A 2xx whose body does not match the API: always a server bug, never a retry.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What one request came to. `value` is set exactly when the server answered 2xx.
template <typename T>
struct Answer {
  int status = 0;  // 0: no answer at all
  std::optional<T> value;
  std::string problem;  // the error body or the transport error, for messages

  bool ok() const { return value.has_value(); }
  bool answered() const { return status != 0; }
  // No answer, or 503 while the storage opens: worth asking again shortly.
  bool retryable() const { return status == 0 || status == 503; }
};

struct OutgoingMessage {
  std::string body;
  std::optional<std::string> group_id;
};

struct Delivery {
  std::string id;
  std::string body;
  std::string receipt;
  int receive_count = 0;
  std::optional<std::string> group_id;
};

struct AckOutcome {
  int acked = 0;
  std::set<std::string> failed;  // receipts the server refused
};

struct VisibilityOutcome {
  int updated = 0;
  std::set<std::string> failed;
};

struct QueueStats {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;

  std::int64_t total() const { return visible + in_flight + delayed; }
};

struct ReceiveOptions {
  int max = 1;
  std::optional<int> visibility_timeout_s;  // absent: the queue's
  int wait_s = 0;
};

class QueueApiClient {
 public:
  explicit QueueApiClient(const QueueServer& server, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // PUT /queues/{q}; the value is the status (201 created, 200 updated).
  Answer<int> put_queue(const std::string& queue, const boost::json::object& attributes = {});
  // POST /queues/{q}/messages; the ids, in the order of `messages`.
  Answer<std::vector<std::string>> send(const std::string& queue, const std::vector<OutgoingMessage>& messages);
  Answer<std::vector<Delivery>> receive(const std::string& queue, const ReceiveOptions& options);
  Answer<AckOutcome> ack(const std::string& queue, const std::vector<std::string>& receipts);
  Answer<VisibilityOutcome> change_visibility(const std::string& queue, const std::vector<std::string>& receipts,
                                              int visibility_timeout_s);
  Answer<QueueStats> stats(const std::string& queue);

 private:
  // The response, or nullopt with `problem` set when the server did not answer.
  std::optional<test::HttpResponse> exchange(std::string_view method, const std::string& target,
                                             const std::string& body, std::string& problem);
  // Runs the exchange and, on a 2xx, `parse` on its JSON body (ProtocolError if it is not JSON).
  template <typename T, typename Parse>
  Answer<T> call(std::string_view method, const std::string& target, const std::string& body, Parse parse);

  const QueueServer& server_;
  std::chrono::milliseconds timeout_;
  unsigned short connected_port_ = 0;
  std::optional<test::HttpClient> http_;
};

}  // namespace robustness
