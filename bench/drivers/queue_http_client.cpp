#include "bench/drivers/queue_http_client.h"

#include <boost/json.hpp>
#include <stdexcept>

namespace bench {
namespace json = boost::json;
namespace {

std::string bearer(const std::string& token) { return token.empty() ? std::string() : "Bearer " + token; }

// The error's code and message, or the start of the body when it is not Queue's error shape.
std::string describe_failure(int status, const std::string& body) {
  constexpr std::size_t kExcerptBytes = 300;
  return "queue: HTTP " + std::to_string(status) + ": " + body.substr(0, kExcerptBytes);
}

const json::array& array_at(const json::value& document, std::string_view key, std::string_view route) {
  const auto* object = document.if_object();
  const json::value* member = object ? object->if_contains(key) : nullptr;
  if (!member || !member->is_array()) {
    throw std::runtime_error("queue " + std::string(route) + ": answer has no \"" + std::string(key) + "\" array");
  }
  return member->get_array();
}

json::array receipts_of(std::span<const Delivery> deliveries) {
  json::array receipts;
  receipts.reserve(deliveries.size());
  for (const Delivery& delivery : deliveries) receipts.emplace_back(delivery.handle);
  return receipts;
}

// The ack route's answer, also a receive's "acks": every receipt must have been acked.
void check_acked(const json::value& answer, std::size_t expected) {
  const auto* fields = answer.if_object();
  const json::value* acked = fields ? fields->if_contains("acked") : nullptr;
  if (!acked || !acked->is_int64() || acked->as_int64() != static_cast<std::int64_t>(expected)) {
    throw std::runtime_error("queue ack: not every receipt was acked: " + json::serialize(answer));
  }
}

}  // namespace

QueueHttpClient::QueueHttpClient(const Target& target)
    : http_(target.endpoint, bearer(target.token)),
      queues_path_(target.path_prefix + "/queues"),
      queue_path_(queues_path_ + "/" + target.queue) {}

std::string QueueHttpClient::call(std::string_view method, const std::string& target, std::string_view json_body) {
  net::HttpResponse response = http_.request(method, target, json_body);
  if (response.status < 200 || response.status > 299) throw std::runtime_error(describe_failure(response.status, response.body));
  return std::move(response.body);
}

void QueueHttpClient::ping() { call("GET", queues_path_ + "?limit=1", {}); }

void QueueHttpClient::create_queue() { call("PUT", queue_path_, "{}"); }

void QueueHttpClient::send(std::span<const std::string> bodies) {
  json::array messages;
  messages.reserve(bodies.size());
  for (const std::string& body : bodies) messages.push_back(json::object{{"body", body}});
  const std::string answer = call("POST", queue_path_ + "/messages", json::serialize(json::object{{"messages", std::move(messages)}}));
  if (array_at(json::parse(answer), "messages", "send").size() != bodies.size()) {
    throw std::runtime_error("queue send: answer does not list one id per message");
  }
}

std::vector<Delivery> QueueHttpClient::receive(std::size_t max, std::chrono::seconds wait) {
  return ack_and_receive({}, max, wait);
}

std::vector<Delivery> QueueHttpClient::ack_and_receive(std::span<const Delivery> deliveries, std::size_t max,
                                                       std::chrono::seconds wait) {
  json::object request{{"max", max}, {"wait_s", wait.count()}};
  if (!deliveries.empty()) request["ack"] = receipts_of(deliveries);
  const json::value answer = json::parse(call("POST", queue_path_ + "/receive", json::serialize(request)));
  if (!deliveries.empty()) {
    const json::value* acks = answer.is_object() ? answer.get_object().if_contains("acks") : nullptr;
    check_acked(acks ? *acks : json::value(), deliveries.size());
  }
  std::vector<Delivery> received;
  for (const json::value& message : array_at(answer, "messages", "receive")) {
    const auto* fields = message.if_object();
    const json::value* body = fields ? fields->if_contains("body") : nullptr;
    const json::value* receipt = fields ? fields->if_contains("receipt") : nullptr;
    if (!body || !body->is_string() || !receipt || !receipt->is_string()) {
      throw std::runtime_error("queue receive: a message lacks a string body or receipt");
    }
    received.push_back({std::string(body->get_string()), std::string(receipt->get_string())});
  }
  return received;
}

std::uint64_t QueueHttpClient::visible() {
  const json::value answer = json::parse(call("GET", queue_path_, {}));
  const auto* fields = answer.if_object();
  const json::value* stats = fields ? fields->if_contains("stats") : nullptr;
  const json::value* visible = stats && stats->is_object() ? stats->get_object().if_contains("visible") : nullptr;
  if (!visible || !visible->is_int64() || visible->as_int64() < 0) {
    throw std::runtime_error("queue stats: answer has no stats.visible count");
  }
  return static_cast<std::uint64_t>(visible->as_int64());
}

void QueueHttpClient::metrics() { call("GET", "/metrics", {}); }

void QueueHttpClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  const json::value answer =
      json::parse(call("POST", queue_path_ + "/ack", json::serialize(json::object{{"receipts", receipts_of(deliveries)}})));
  check_acked(answer, deliveries.size());
}

}  // namespace bench
