// Queue's HTTP API v1 (issue 3): POST .../messages, .../receive, .../ack on one
// keep-alive connection, JSON built and parsed with Boost.JSON. The same
// driver serves Queue standalone and Queue mounted in Raptor: only the path
// prefix could differ.
#pragma once

#include "bench/drivers/client.h"
#include "bench/net/http_connection.h"

namespace bench {

class QueueHttpClient final : public Client {
 public:
  explicit QueueHttpClient(const Target& target);

  void ping() override;
  void create_queue() override;
  void send(std::span<const std::string> bodies) override;
  std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) override;
  void ack(std::span<const Delivery> deliveries) override;
  std::vector<Delivery> ack_and_receive(std::span<const Delivery> deliveries, std::size_t max,
                                        std::chrono::seconds wait) override;

  // What a dashboard or monitor asks (issue 12), for the stats-polling step: GET
  // <prefix>/queues/<name>, returning its stats' "visible" count, and GET /metrics (served
  // at the root, whatever the prefix), whose body is only checked for a 2xx.
  std::uint64_t visible();
  void metrics();

 private:
  // One request; the answer's body, or std::runtime_error unless the status is 2xx.
  std::string call(std::string_view method, const std::string& target, std::string_view json);

  net::HttpConnection http_;
  std::string queues_path_;  // <prefix>/queues
  std::string queue_path_;   // <prefix>/queues/<name>
};

}  // namespace bench
