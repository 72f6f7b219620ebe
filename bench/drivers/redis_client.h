// Redis as a reliable queue: LPUSH to the queue list, LMOVE (BLMOVE when
// waiting) from its tail to a processing list, LREM from the processing list to
// ack. Batches are one multi-argument LPUSH, and pipelined LMOVEs and LREMs:
// one round trip per batch.
#pragma once

#include "bench/drivers/client.h"
#include "bench/net/connection.h"

namespace bench {

class RedisClient final : public Client {
 public:
  explicit RedisClient(const Target& target);

  void ping() override;
  void create_queue() override;
  void send(std::span<const std::string> bodies) override;
  std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) override;
  void ack(std::span<const Delivery> deliveries) override;

 private:
  net::Connection connection_;
  std::string queue_key_;
  std::string processing_key_;
  std::string out_;  // reused request buffer
};

}  // namespace bench
