#include "bench/contract/in_process_queue.h"

#include "web/config.h"

namespace bench {
namespace {

web::Config queue_config(const std::string& database_url, const std::string& durability) {
  web::Config config;
  config.set("QUEUE_DATABASE_URL", database_url);
  config.set("QUEUE_DURABILITY", durability);
  return config;
}

}  // namespace

InProcessQueue::InProcessQueue(const std::string& database_url, const std::string& durability)
    : mount_(queue::mount_queue(queue_config(database_url, durability))) {}

InProcessQueue::~InProcessQueue() {
  for (const web::Blueprint& blueprint : mount_.blueprints) {
    for (const auto& hook : blueprint.shutdown_hooks()) hook();
  }
}

}  // namespace bench
