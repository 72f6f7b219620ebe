// beanstalkd's text protocol (https://github.com/beanstalkd/beanstalkd/blob/master/doc/protocol.txt):
// put into a tube, reserve-with-timeout, delete to ack. The connection uses and
// watches the queue's tube only. Batches are pipelined commands in one write.
#pragma once

#include "bench/drivers/client.h"
#include "bench/net/connection.h"

namespace bench {

class BeanstalkdClient final : public Client {
 public:
  explicit BeanstalkdClient(const Target& target);

  void ping() override;
  void create_queue() override;
  void send(std::span<const std::string> bodies) override;
  std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) override;
  void ack(std::span<const Delivery> deliveries) override;

 private:
  // Reads one reply line and throws unless it starts with `word`; returns what follows the word.
  std::string expect(std::string_view word, std::string_view command);
  // Reads one reserve reply: true and a delivery for RESERVED, false for TIMED_OUT.
  bool read_reserved(std::vector<Delivery>& deliveries);

  net::Connection connection_;
  std::string out_;  // reused request buffer
};

}  // namespace bench
