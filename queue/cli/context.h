// What every verb gets: the global settings (flags, else QUEUE_URL / QUEUE_TOKEN), the
// remote client made from them, and where to print.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "queue/cli/report.h"
#include "queue/contract/client.h"

namespace queue::cli {

struct Settings {
  std::string url = "http://127.0.0.1:5000";
  std::string token;
  Format format = Format::table;
  double timeout_s = 10;  // per call; a receive's --wait is added on top
};

class Context {
 public:
  Context(Settings settings, std::ostream& out);

  const Settings& settings() const { return settings_; }
  // The remote client, made on first use. A URL it refuses is a usage failure.
  contract::QueueClient& client();
  // CallOptions for one call: --timeout, plus `extra` (a long poll's wait).
  contract::CallOptions call(std::chrono::seconds extra = std::chrono::seconds(0)) const;
  // Prints a command's answer in the chosen format.
  void emit(const Report& report);
  std::ostream& out() { return out_; }

 private:
  Settings settings_;
  std::ostream& out_;
  std::shared_ptr<contract::QueueClient> client_;
};

// The verb the command line chose, run once parsing succeeded.
using Action = std::function<void(Context&)>;

}  // namespace queue::cli
