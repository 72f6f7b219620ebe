// What every system under test offers the workloads: send, receive, ack.
//
// One client is one connection, used by one worker thread. Each driver speaks
// its system's native protocol and maps the reliable-queue operations onto it
// (Redis: LPUSH / LMOVE to a processing list / LREM; beanstalkd: put / reserve /
// delete; Queue: its HTTP API). A failure throws std::runtime_error: the
// workload counts it and stops that worker.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/net/connection.h"

namespace bench {

struct Delivery {
  std::string body;
  std::string handle;  // what ack needs: Redis the body, beanstalkd the job id, Queue the receipt
};

class Client {
 public:
  virtual ~Client() = default;

  // One cheap round trip that succeeds only once the server really serves.
  virtual void ping() = 0;
  // Creates the queue where the system needs that; run once before a workload.
  virtual void create_queue() = 0;
  virtual void send(std::span<const std::string> bodies) = 0;
  // Up to `max` messages. With `wait` > 0, blocks until the first one arrives or
  // `wait` passes; with 0, answers at once. Empty means none was available.
  virtual std::vector<Delivery> receive(std::size_t max, std::chrono::seconds wait) = 0;
  virtual void ack(std::span<const Delivery> deliveries) = 0;
};

enum class System { redis, beanstalkd, queue };

struct Target {
  System system = System::redis;
  net::Endpoint endpoint;
  std::string queue = "bench";
  std::string path_prefix = "/api/v1";  // Queue's HTTP routes live under this
  std::string token;                    // Queue: sent as a bearer token when not empty
};

std::unique_ptr<Client> connect_client(const Target& target);

}  // namespace bench
