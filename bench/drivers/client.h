// What every system under test offers the workloads: send, receive, ack.
//
// One client is one connection, used by one worker thread. Each driver speaks
// its system's native protocol and maps the reliable-queue operations onto it
// (Redis: LPUSH / LMOVE to a processing list / LREM; beanstalkd: put / reserve /
// delete; Queue: its HTTP API; the PostgreSQL baseline: SQL over libpq; Queue's own C++
// client: queue/contract/client.h, in process or remote). A failure throws std::runtime_error: the
// workload counts it and stops that worker.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/net/connection.h"

namespace queue::contract {
class QueueClient;
}

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
  // ack(deliveries) and receive(max, wait) as one call: Queue's receive carrying "ack"
  // (one call per message instead of two). Systems without such a call throw
  // std::runtime_error rather than pass two calls off as one.
  virtual std::vector<Delivery> ack_and_receive(std::span<const Delivery> deliveries, std::size_t max,
                                                std::chrono::seconds wait);
};

// `contract`: calls the QueueClient in Target::contract, which the caller made (a Queue
// mounted in this process, or the remote client): every connection shares it, as threads
// of one service share their client.
enum class System { redis, beanstalkd, queue, postgres, contract };

struct Target {
  System system = System::redis;
  net::Endpoint endpoint;
  // Several servers of one system (two Queue processes on one database): connection i
  // talks to endpoints[i % size]. Empty: every connection talks to `endpoint`.
  std::vector<net::Endpoint> endpoints;
  std::string database_url;  // postgres: the libpq connection string or postgres:// URL
  std::string queue = "bench";
  std::string path_prefix = "/api/v1";  // Queue's HTTP routes live under this
  std::string token;                    // Queue: sent as a bearer token when not empty
  std::shared_ptr<queue::contract::QueueClient> contract;  // System::contract only
};

// `target` at `ports` on its endpoint's host: the first is `endpoint`; with more than
// one, `endpoints` lists them all. Throws std::invalid_argument on an empty list.
Target with_ports(Target target, std::span<const std::uint16_t> ports);

// The endpoint connection number `connection` uses: round robin over `endpoints`.
const net::Endpoint& endpoint_for(const Target& target, std::size_t connection);

// Connects connection number `connection` of a workload (see endpoint_for).
std::unique_ptr<Client> connect_client(const Target& target, std::size_t connection = 0);

}  // namespace bench
