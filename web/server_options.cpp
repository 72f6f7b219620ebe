// ServerOptions::from_platform lives apart from server.cpp so that reading three
// environment keys does not need the Beast translation unit.
#include "web/server.h"

namespace web {

ServerOptions ServerOptions::from_platform(const Config& config) {
  ServerOptions options;
  options.host = config.get_or("HOST", options.host);
  options.port = static_cast<unsigned short>(config.get_int("PORT", options.port, 0, 65535));
  options.threads = static_cast<unsigned>(config.get_int("WEB_CONCURRENCY", options.threads, 1, 256));
  return options;
}

}  // namespace web
