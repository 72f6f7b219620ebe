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
  contract::ReceiveRequest request;
  request.max = static_cast<int>(max);
  request.wait_s = static_cast<int>(wait.count());
  std::vector<contract::ReceivedMessage> received = value_of(client_->receive(queue_, request, within(wait)), "receive");
  std::vector<Delivery> deliveries;
  deliveries.reserve(received.size());
  for (contract::ReceivedMessage& message : received) {
    deliveries.push_back({std::move(message.body), std::move(message.receipt)});
  }
  return deliveries;
}

void ContractClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  std::vector<std::string> receipts;
  receipts.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) receipts.push_back(delivery.handle);
  const contract::AckResult acked = value_of(client_->ack(queue_, std::move(receipts), within()), "ack");
  if (acked.acked != static_cast<std::int64_t>(deliveries.size())) {
    throw std::runtime_error("queue ack: " + std::to_string(acked.failed.size()) + " receipts were refused");
  }
}

}  // namespace bench
