#include "tests/concurrency/queue_api_client.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace robustness {
namespace {

namespace json = boost::json;

const std::string api = "/api/v1/queues/";

// Field access that turns a missing or mistyped field into a ProtocolError naming it.
const json::value& field(const json::value& document, std::string_view key) {
  const json::object* object = document.if_object();
  const json::value* value = object ? object->if_contains(key) : nullptr;
  if (value == nullptr) throw ProtocolError("answer lacks \"" + std::string(key) + "\": " + json::serialize(document));
  return *value;
}

std::string string_field(const json::value& document, std::string_view key) {
  const json::value& value = field(document, key);
  if (!value.is_string())
    throw ProtocolError("\"" + std::string(key) + "\" is not a string: " + json::serialize(document));
  return std::string(value.get_string());
}

std::int64_t int_field(const json::value& document, std::string_view key) {
  const json::value& value = field(document, key);
  if (!value.is_int64())
    throw ProtocolError("\"" + std::string(key) + "\" is not an integer: " + json::serialize(document));
  return value.get_int64();
}

const json::array& array_field(const json::value& document, std::string_view key) {
  const json::value& value = field(document, key);
  if (!value.is_array())
    throw ProtocolError("\"" + std::string(key) + "\" is not an array: " + json::serialize(document));
  return value.get_array();
}

std::set<std::string> failed_receipts(const json::value& document) {
  std::set<std::string> failed;
  for (const json::value& entry : array_field(document, "failed")) failed.insert(string_field(entry, "receipt"));
  return failed;
}

std::string receipts_body(const std::vector<std::string>& receipts, std::optional<int> visibility_timeout_s = {}) {
  json::object body{{"receipts", json::array(receipts.begin(), receipts.end())}};
  if (visibility_timeout_s) body["visibility_timeout_s"] = *visibility_timeout_s;
  return json::serialize(body);
}

}  // namespace

QueueApiClient::QueueApiClient(const QueueServer& server, std::chrono::milliseconds timeout)
    : server_(server), timeout_(timeout) {}

std::optional<test::HttpResponse> QueueApiClient::exchange(std::string_view method, const std::string& target,
                                                           const std::string& body, std::string& problem) {
  if (!http_ || connected_port_ != server_.port()) {
    connected_port_ = server_.port();
    http_.emplace(connected_port_, timeout_);
  }
  test::Headers headers;
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  try {
    return http_->request(method, target, body, headers);
  } catch (const std::runtime_error& error) {
    http_->close();  // whatever was half-read on it is garbage now
    problem = error.what();
    return std::nullopt;
  }
}

template <typename T, typename Parse>
Answer<T> QueueApiClient::call(std::string_view method, const std::string& target, const std::string& body,
                               Parse parse) {
  Answer<T> answer;
  std::optional<test::HttpResponse> response = exchange(method, target, body, answer.problem);
  if (!response) return answer;
  answer.status = response->status;
  if (response->status / 100 != 2) {
    answer.problem = response->body;
    return answer;
  }
  json::value document;
  if (response->status != 204) {
    boost::system::error_code error;
    document = json::parse(response->body, error);
    if (error)
      throw ProtocolError(std::string(method) + " " + target + " answered a 2xx that is not JSON: " + response->body);
  }
  answer.value = parse(document, response->status);
  return answer;
}

Answer<int> QueueApiClient::put_queue(const std::string& queue, const json::object& attributes) {
  return call<int>("PUT", api + queue, json::serialize(attributes),
                   [](const json::value&, int status) { return status; });
}

Answer<std::vector<std::string>> QueueApiClient::send(const std::string& queue,
                                                      const std::vector<OutgoingMessage>& messages) {
  json::array items;
  for (const OutgoingMessage& message : messages) {
    json::object item{{"body", message.body}};
    if (message.group_id) item["group_id"] = *message.group_id;
    items.push_back(std::move(item));
  }
  std::string body = json::serialize(json::object{{"messages", std::move(items)}});
  return call<std::vector<std::string>>("POST", api + queue + "/messages", body, [&](const json::value& document, int) {
    std::vector<std::string> ids;
    for (const json::value& entry : array_field(document, "messages")) {
      ids.push_back(string_field(entry, "id"));
    }
    if (ids.size() != messages.size()) {
      throw ProtocolError("send of " + std::to_string(messages.size()) + " answered " + std::to_string(ids.size()) +
                          " ids");
    }
    return ids;
  });
}

Answer<std::vector<Delivery>> QueueApiClient::receive(const std::string& queue, const ReceiveOptions& options) {
  json::object body{{"max", options.max}, {"wait_s", options.wait_s}};
  if (options.visibility_timeout_s) body["visibility_timeout_s"] = *options.visibility_timeout_s;
  return call<std::vector<Delivery>>(
      "POST", api + queue + "/receive", json::serialize(body), [&](const json::value& document, int) {
        std::vector<Delivery> deliveries;
        for (const json::value& entry : array_field(document, "messages")) {
          Delivery delivery{string_field(entry, "id"), string_field(entry, "body"), string_field(entry, "receipt"),
                            static_cast<int>(int_field(entry, "receive_count")), std::nullopt};
          if (entry.as_object().contains("group_id")) delivery.group_id = string_field(entry, "group_id");
          deliveries.push_back(std::move(delivery));
        }
        if (deliveries.size() > static_cast<std::size_t>(options.max)) {
          throw ProtocolError("receive of at most " + std::to_string(options.max) + " answered " +
                              std::to_string(deliveries.size()));
        }
        return deliveries;
      });
}

Answer<AckOutcome> QueueApiClient::ack(const std::string& queue, const std::vector<std::string>& receipts) {
  return call<AckOutcome>("POST", api + queue + "/ack", receipts_body(receipts), [](const json::value& document, int) {
    return AckOutcome{static_cast<int>(int_field(document, "acked")), failed_receipts(document)};
  });
}

Answer<VisibilityOutcome> QueueApiClient::change_visibility(const std::string& queue,
                                                            const std::vector<std::string>& receipts,
                                                            int visibility_timeout_s) {
  return call<VisibilityOutcome>(
      "POST", api + queue + "/visibility", receipts_body(receipts, visibility_timeout_s),
      [](const json::value& document, int) {
        return VisibilityOutcome{static_cast<int>(int_field(document, "updated")), failed_receipts(document)};
      });
}

Answer<QueueStats> QueueApiClient::stats(const std::string& queue) {
  return call<QueueStats>("GET", api + queue, "", [](const json::value& document, int) {
    const json::value& stats = field(document, "stats");
    return QueueStats{int_field(stats, "visible"), int_field(stats, "in_flight"), int_field(stats, "delayed")};
  });
}

}  // namespace robustness
