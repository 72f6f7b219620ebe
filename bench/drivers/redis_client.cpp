#include "bench/drivers/redis_client.h"

#include <stdexcept>

#include "bench/drivers/resp.h"

namespace bench {

using resp::Reply;

RedisClient::RedisClient(const Target& target)
    : connection_(target.endpoint), queue_key_(target.queue), processing_key_(target.queue + ":processing") {}

void RedisClient::ping() {
  out_.clear();
  resp::append_command(out_, {"PING"});
  connection_.write_all(out_);
  const Reply reply = resp::read_reply(connection_);
  if (resp::expect_ok(reply, "PING").text != "PONG") throw std::runtime_error("redis PING: unexpected reply");
}

// Lists come into being with their first element: nothing to create.
void RedisClient::create_queue() {}

void RedisClient::send(std::span<const std::string> bodies) {
  out_.clear();
  resp::append_command(out_, {"LPUSH", queue_key_}, bodies);
  connection_.write_all(out_);
  const Reply reply = resp::read_reply(connection_);
  if (resp::expect_ok(reply, "LPUSH").kind != Reply::Kind::integer) {
    throw std::runtime_error("redis LPUSH: unexpected reply");
  }
}

std::vector<Delivery> RedisClient::receive(std::size_t max, std::chrono::seconds wait) {
  std::vector<Delivery> deliveries;
  auto take = [&](const Reply& reply, std::string_view command) {
    if (resp::expect_ok(reply, command).kind == Reply::Kind::bulk) {
      // The body is its own handle: LREM finds it in the processing list.
      deliveries.push_back({reply.text, reply.text});
      return true;
    }
    return false;
  };

  std::size_t pipelined = max;
  if (wait.count() > 0) {
    // Block for the first message only; once one came, take the rest of the batch without waiting.
    out_.clear();
    resp::append_command(out_, {"BLMOVE", queue_key_, processing_key_, "RIGHT", "LEFT", std::to_string(wait.count())});
    connection_.write_all(out_);
    if (!take(resp::read_reply(connection_), "BLMOVE")) return deliveries;
    pipelined = max - 1;
  }
  if (pipelined == 0) return deliveries;
  out_.clear();
  for (std::size_t i = 0; i < pipelined; ++i) {
    resp::append_command(out_, {"LMOVE", queue_key_, processing_key_, "RIGHT", "LEFT"});
  }
  connection_.write_all(out_);
  for (std::size_t i = 0; i < pipelined; ++i) take(resp::read_reply(connection_), "LMOVE");
  return deliveries;
}

void RedisClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  out_.clear();
  for (const Delivery& delivery : deliveries) {
    resp::append_command(out_, {"LREM", processing_key_, "1", delivery.handle});
  }
  connection_.write_all(out_);
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    const Reply reply = resp::read_reply(connection_);
    if (resp::expect_ok(reply, "LREM").kind != Reply::Kind::integer || reply.integer != 1) {
      throw std::runtime_error("redis LREM: message was not in the processing list");
    }
  }
}

}  // namespace bench
