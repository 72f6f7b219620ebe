#include "backend_v2/api/queue_link.h"

#include <stdexcept>
#include <string>

#include "backend_v2/api/queue_embedding.h"
#include "common/log.h"
#include "queue/remote/http_client.h"

namespace raptor::api {
namespace {

std::shared_ptr<queue::contract::QueueClient> connect_remote(const config::Settings& settings) {
  queue::remote::HttpClientOptions options;
  options.base_url = settings.queue_url;
  options.token = settings.queue_token;
  try {
    return queue::remote::make_http_client(std::move(options));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("RAPTOR_QUEUE_URL: ") + error.what());
  }
}

}  // namespace

std::string_view to_string(QueueMode mode) {
  switch (mode) {
    case QueueMode::off: return "off";
    case QueueMode::in_process: return "in_process";
    case QueueMode::remote: return "remote";
  }
  return "off";
}

QueueLink link_queue(web::App& app, const web::Config& environment, const config::Settings& settings,
                     const config::FeatureFlags& flags, std::function<void(std::string&)> host_metrics) {
  if (!settings.queue_url.empty()) {
    // Queue has moved out: mounting it here too would serve a second, empty Queue.
    if (flags.queue_v1) {
      common::log::warn("queue_not_mounted", {{"reason", "RAPTOR_QUEUE_URL is set: Queue is called remotely"}});
    }
    return QueueLink{QueueMode::remote, connect_remote(settings)};
  }
  if (flags.queue_v1) {
    if (auto client = embed_queue(app, environment, std::move(host_metrics))) {
      return QueueLink{QueueMode::in_process, std::move(client)};
    }
  }
  return QueueLink{};
}

}  // namespace raptor::api
