#include "bench/drivers/client.h"

#include <stdexcept>

#include "bench/drivers/beanstalkd_client.h"
#include "bench/drivers/contract_client.h"
#include "bench/drivers/postgres_baseline_client.h"
#include "bench/drivers/queue_http_client.h"
#include "bench/drivers/redis_client.h"

namespace bench {

std::vector<Delivery> Client::ack_and_receive(std::span<const Delivery>, std::size_t, std::chrono::seconds) {
  throw std::runtime_error("this system cannot ack on its receive: only Queue can");
}

Target with_ports(Target target, std::span<const std::uint16_t> ports) {
  if (ports.empty()) throw std::invalid_argument("no port given");
  target.endpoint.port = ports.front();
  target.endpoints.clear();
  if (ports.size() > 1) {
    for (std::uint16_t port : ports) target.endpoints.push_back({target.endpoint.host, port});
  }
  return target;
}

const net::Endpoint& endpoint_for(const Target& target, std::size_t connection) {
  if (target.endpoints.empty()) return target.endpoint;
  return target.endpoints[connection % target.endpoints.size()];
}

std::unique_ptr<Client> connect_client(const Target& target, std::size_t connection) {
  // Drivers read `endpoint`: hand each the one its connection number picks.
  Target one = target;
  one.endpoint = endpoint_for(target, connection);
  switch (one.system) {
    case System::redis:
      return std::make_unique<RedisClient>(one);
    case System::beanstalkd:
      return std::make_unique<BeanstalkdClient>(one);
    case System::queue:
      return std::make_unique<QueueHttpClient>(one);
    case System::postgres:
      return std::make_unique<PostgresBaselineClient>(one);
    case System::contract:
      return std::make_unique<ContractClient>(one);
  }
  throw std::invalid_argument("unknown system");
}

}  // namespace bench
