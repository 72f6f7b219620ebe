#include "queue/api/serving_guard.h"

#include <stdexcept>
#include <string>

#include "common/log.h"

namespace queue::api {

std::function<void(const web::ServingInfo&)> refuse_public_without_tokens(bool auth_enabled) {
  return [auth_enabled](const web::ServingInfo& info) {
    if (auth_enabled) return;
    if (!info.loopback) {
      throw std::runtime_error("Queue refuses to serve on " + info.host +
                               " without QUEUE_API_TOKENS: anyone reaching that address could read and delete "
                               "every message. Set QUEUE_API_TOKENS, or bind a loopback HOST such as 127.0.0.1");
    }
    common::log::info("queue_loopback_only", {{"host", info.host},
                                              {"port", info.port},
                                              {"reason", "QUEUE_API_TOKENS is empty"}});
  };
}

}  // namespace queue::api
