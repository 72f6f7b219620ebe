#include "bench/drivers/contract_client.h"

#include <stdexcept>

#include "queue/contract/client.h"

namespace bench {
namespace contract = queue::contract;
namespace {

// Generous: a call only fails on it when something is wrong, never because fsync was slow.
constexpr std::chrono::seconds kCallTimeout{30};

contract::CallOptions within(std::chrono::seconds wait = {}) { return contract::within(kCallTimeout + wait); }

// The value, or std::runtime_error with the code and message the workload will report.
template <typename T>
T value_of(contract::Result<T> result, std::string_view call) {
  if (!result.ok()) {
    throw std::runtime_error("queue " + std::string(call) + ": " + std::string(contract::to_string(result.error().code)) +
                             ": " + result.error().message);
  }
  return std::move(result).value();
}

contract::ReceiveRequest receive_request(std::size_t max, std::chrono::seconds wait) {
  contract::ReceiveRequest request;
  request.max = static_cast<int>(max);
  request.wait_s = static_cast<int>(wait.count());
  return request;
}

std::vector<Delivery> deliveries_of(std::vector<contract::ReceivedMessage> received) {
  std::vector<Delivery> deliveries;
  deliveries.reserve(received.size());
  for (contract::ReceivedMessage& message : received) {
    deliveries.push_back({std::move(message.body), std::move(message.receipt)});
  }
  return deliveries;
}

std::vector<std::string> receipts_of(std::span<const Delivery> deliveries) {
  std::vector<std::string> receipts;
  receipts.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) receipts.push_back(delivery.handle);
  return receipts;
}

void check_acked(const contract::AckResult& acked, std::size_t expected) {
  if (acked.acked != static_cast<std::int64_t>(expected)) {
    throw std::runtime_error("queue ack: " + std::to_string(acked.failed.size()) + " receipts were refused");
  }
}

}  // namespace

ContractClient::ContractClient(const Target& target) : client_(target.contract), queue_(target.queue) {
  if (!client_) throw std::invalid_argument("System::contract needs Target::contract");
}

void ContractClient::ping() {
  contract::ListQueuesRequest request;
  request.limit = 1;
  value_of(client_->list_queues(request, within()), "list_queues");
}

void ContractClient::create_queue() { value_of(client_->put_queue(queue_, {}, within()), "put_queue"); }

void ContractClient::send(std::span<const std::string> bodies) {
  std::vector<contract::OutgoingMessage> messages(bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) messages[i].body = bodies[i];
  const contract::SendResult sent = value_of(client_->send(queue_, std::move(messages), within()), "send");
  if (sent.ids.size() != bodies.size()) throw std::runtime_error("queue send: answer does not list one id per message");
}

std::vector<Delivery> ContractClient::receive(std::size_t max, std::chrono::seconds wait) {
  std::vector<contract::ReceivedMessage> received =
      value_of(client_->receive(queue_, receive_request(max, wait), within(wait)), "receive");
  return deliveries_of(std::move(received));
}

void ContractClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  check_acked(value_of(client_->ack(queue_, receipts_of(deliveries), within()), "ack"), deliveries.size());
}

std::vector<Delivery> ContractClient::ack_and_receive(std::span<const Delivery> deliveries, std::size_t max,
                                                      std::chrono::seconds wait) {
  contract::ReceiveRequest request = receive_request(max, wait);
  request.ack = receipts_of(deliveries);
  contract::ReceiveResult received =
      value_of(client_->receive_with_acks(queue_, std::move(request), within(wait)), "receive_with_acks");
  check_acked(received.acks, deliveries.size());
  return deliveries_of(std::move(received.messages));
}

}  // namespace bench
