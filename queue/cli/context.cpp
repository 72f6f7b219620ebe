#include "queue/cli/context.h"

#include <stdexcept>

#include "queue/cli/failure.h"
#include "queue/remote/http_client.h"

namespace queue::cli {

Context::Context(Settings settings, std::ostream& out) : settings_(std::move(settings)), out_(out) {}

contract::QueueClient& Context::client() {
  if (!client_) {
    try {
      client_ = remote::make_http_client({.base_url = settings_.url, .token = settings_.token,
                                          .user_agent = "queuectl/1"});
    } catch (const std::invalid_argument& error) {
      throw usage_failure(std::string("--url / QUEUE_URL: ") + error.what());
    }
  }
  return *client_;
}

contract::CallOptions Context::call(std::chrono::seconds extra) const {
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(settings_.timeout_s));
  return contract::within(timeout + extra);
}

void Context::emit(const Report& report) { print_report(report, settings_.format, out_); }

}  // namespace queue::cli
