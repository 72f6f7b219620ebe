// What the example programs share: where the queue is, from the environment.
#pragma once

#include <cstdlib>
#include <string>

#include "queue/remote/http_client.h"

namespace examples {

inline std::string env_or(const char* key, const char* fallback) {
  const char* value = std::getenv(key);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// QUEUE_URL (default http://127.0.0.1:5000) and QUEUE_TOKEN (default: none).
inline queue::remote::HttpClientOptions client_options() {
  queue::remote::HttpClientOptions options;
  options.base_url = env_or("QUEUE_URL", "http://127.0.0.1:5000");
  options.token = env_or("QUEUE_TOKEN", "");
  return options;
}

}  // namespace examples
