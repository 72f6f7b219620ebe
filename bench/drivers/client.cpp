#include "bench/drivers/client.h"

#include "bench/drivers/beanstalkd_client.h"
#include "bench/drivers/queue_http_client.h"
#include "bench/drivers/redis_client.h"

namespace bench {

std::unique_ptr<Client> connect_client(const Target& target) {
  switch (target.system) {
    case System::redis:
      return std::make_unique<RedisClient>(target);
    case System::beanstalkd:
      return std::make_unique<BeanstalkdClient>(target);
    case System::queue:
      return std::make_unique<QueueHttpClient>(target);
  }
  throw std::invalid_argument("unknown system");
}

}  // namespace bench
