// The thread that LISTENs for what other Queue processes on the same database did.
//
// A store NOTIFYs its channel after each commit that may have made messages
// receivable ("m:<queue id>") or changed a queue's attributes ("q:<queue id>").
// This thread holds its own connection, waits on its socket (no polling), and
// hands each notification from another process to the callback. When the
// connection drops it reconnects with backoff and then reports `unknown`: whatever
// happened meanwhile was not heard, so the engine re-reads everything.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "queue/core/store.h"

namespace queue::storage::postgres {

class Listener {
 public:
  using Notify = std::function<void(const core::ExternalChange&)>;
  // `own_pid`: the backend pid of the store's own connection; its notifications
  // describe changes this process already knows about and are skipped.
  Listener(std::string url, std::string channel, const std::atomic<int>& own_pid, Notify notify);
  ~Listener();  // stops and joins
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Parses a payload ("m:12", "q:7"); nullopt for anything else.
  static std::optional<core::ExternalChange> parse(std::string_view payload);

 private:
  void run();

  std::string url_;
  std::string channel_;
  const std::atomic<int>& own_pid_;
  Notify notify_;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace queue::storage::postgres
