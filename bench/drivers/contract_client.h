// Queue through its own C++ client (queue/contract/client.h) rather than a wire protocol:
// the in-process client of a Queue mounted in the benchmark's process, or the remote
// client. The blocking calls are the right ones here: each connection is a thread of
// the benchmark's own, which is what the contract's blocking form is for.
//
// Every ContractClient of a workload shares Target::contract; one is what a
// connection of the other drivers is, a thread's way of calling.
#pragma once

#include <memory>

#include "bench/drivers/client.h"

namespace bench {

class ContractClient final : public Client {
 public:
  // std::invalid_argument when target.contract is null.
  explicit ContractClient(const Target& target);

  void ping() override;
  void create_queue() override;
  void send(std::span<const std::string> bodies) override;
  std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) override;
  void ack(std::span<const Delivery> deliveries) override;
  std::vector<Delivery> ack_and_receive(std::span<const Delivery> deliveries, std::size_t max,
                                        std::chrono::seconds wait) override;

 private:
  std::shared_ptr<queue::contract::QueueClient> client_;
  std::string queue_;
};

}  // namespace bench
