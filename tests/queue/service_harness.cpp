#include "service_harness.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace queue::testing {

OutgoingMessage message(std::string body) {
  OutgoingMessage m;
  m.body = std::move(body);
  return m;
}

OutgoingMessage fifo_message(std::string body, std::string group_id) {
  OutgoingMessage m = message(std::move(body));
  m.group_id = std::move(group_id);
  return m;
}

ServiceHarness::ServiceHarness(ServiceOptions options, bool persistent, storage::Durability durability)
    : database_(std::make_unique<TestDatabase>(current_engine(), persistent)),
      database_url_(database_->url()),
      options_(options),
      durability_(durability),
      clock_(std::make_shared<ManualClock>()) {
  restart_service();
}

ServiceHarness::ServiceHarness(SameDatabaseAs shared, ServiceOptions options)
    : database_url_(shared.other.database_url_),
      options_(options),
      durability_(shared.other.durability_),
      clock_(shared.other.clock_) {
  restart_service();
}

ServiceHarness::ServiceHarness(Pool pool, ServiceOptions options)
    : database_(std::make_unique<TestDatabase>(current_engine())),
      database_url_(database_->url()),
      options_(options),
      durability_(storage::Durability::os),
      pool_size_(pool.stores),
      clock_(std::make_shared<ManualClock>()) {
  restart_service();
}

ServiceHarness::~ServiceHarness() {
  if (service_) service_->shutdown();
}

void ServiceHarness::restart_service() {
  if (service_) service_->shutdown();
  service_.reset();
  service_ = std::make_unique<QueueService>(storage::open_stores({database_url_, durability_, pool_size_}), clock_,
                                           options_);
  service_->start();
}

void ServiceHarness::advance_ms(std::int64_t ms) {
  clock_->advance(ms);
  service_->nudge();
  settle();
}

void ServiceHarness::settle() {
  auto health = await<Health>([&](auto done) { service_->check_health(std::move(done)); });
  ASSERT_TRUE(health.ok());
}

Result<PutQueueResult> ServiceHarness::put(const std::string& name, AttributesPatch patch) {
  return await<PutQueueResult>([&](auto done) { service_->put_queue(name, std::move(patch), std::move(done)); });
}

QueueInfo ServiceHarness::create(const std::string& name, AttributesPatch patch) {
  auto result = put(name, std::move(patch));
  if (!result.ok()) throw std::runtime_error("create " + name + ": " + result.error().message);
  return result.value().queue;
}

Result<QueueInfo> ServiceHarness::get(const std::string& name) {
  return await<QueueInfo>([&](auto done) { service_->get_queue(name, std::move(done)); });
}

Result<SendResult> ServiceHarness::send(const std::string& queue, std::vector<OutgoingMessage> messages) {
  return await<SendResult>([&](auto done) { service_->send(queue, std::move(messages), std::move(done)); });
}

std::string ServiceHarness::send_one(const std::string& queue, std::string body) {
  auto result = send(queue, {message(std::move(body))});
  if (!result.ok()) throw std::runtime_error("send: " + result.error().message);
  return result.value().ids.at(0);
}

Result<std::vector<ReceivedMessage>> ServiceHarness::receive(const std::string& queue, ReceiveOptions options) {
  return await<std::vector<ReceivedMessage>>(
      [&](auto done) { service_->receive(queue, options, std::move(done)); });
}

std::vector<ReceivedMessage> ServiceHarness::receive_ok(const std::string& queue, int max,
                                                        std::optional<int> visibility_timeout_s) {
  ReceiveOptions options;
  options.max = max;
  options.visibility_timeout_s = visibility_timeout_s;
  auto result = receive(queue, options);
  if (!result.ok()) throw std::runtime_error("receive: " + result.error().message);
  return result.value();
}

std::vector<std::string> DeliveryCounter::receive(ServiceHarness& service, const std::string& queue, int max) {
  ReceiveOptions options;
  options.max = max;
  auto got = service.receive(queue, options);
  std::vector<std::string> receipts;
  if (!got.ok()) return receipts;
  std::lock_guard lock(mutex_);
  for (const auto& m : got.value()) {
    ++counts_[key_ == Key::id ? m.id : m.body];
    receipts.push_back(m.receipt);
  }
  return receipts;
}

std::map<std::string, int> DeliveryCounter::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Result<AckResult> ServiceHarness::ack(const std::string& queue, std::vector<std::string> receipts) {
  return await<AckResult>([&](auto done) { service_->ack(queue, std::move(receipts), std::move(done)); });
}

Result<VisibilityResult> ServiceHarness::change_visibility(const std::string& queue,
                                                           std::vector<std::string> receipts, int timeout_s) {
  return await<VisibilityResult>(
      [&](auto done) { service_->change_visibility(queue, std::move(receipts), timeout_s, std::move(done)); });
}

Result<std::vector<PeekedMessage>> ServiceHarness::peek(const std::string& queue, PeekState state, int limit) {
  auto page = peek_page(queue, state, limit);
  if (!page.ok()) return page.error();
  return std::move(page.value().messages);
}

Result<PeekPage> ServiceHarness::peek_page(const std::string& queue, PeekState state, int limit, std::string cursor) {
  return await<PeekPage>(
      [&](auto done) { service_->peek(queue, PeekRequest{state, limit, std::move(cursor)}, std::move(done)); });
}

Result<PeekedMessage> ServiceHarness::get_message(const std::string& queue, const std::string& id) {
  return await<PeekedMessage>([&](auto done) { service_->get_message(queue, id, std::move(done)); });
}

QueueStats ServiceHarness::stats(const std::string& queue) {
  auto info = get(queue);
  if (!info.ok()) throw std::runtime_error("get: " + info.error().message);
  return info.value().stats;
}

std::vector<std::string> bodies(const std::vector<ReceivedMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.body);
  return out;
}

}  // namespace queue::testing
