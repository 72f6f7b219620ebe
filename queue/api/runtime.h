// Queue's lifecycle inside a process it shares: opening the storage, the
// QueueService, readiness, shutdown.
//
// Opening the storage happens on a background thread and is retried with
// exponential backoff, forever: a Queue whose database is unreachable (or whose
// configuration is wrong) must neither block nor crash Raptor's start (ADR-0066).
// Until the service is up, Queue's routes answer 503 with Retry-After.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "queue/api/settings.h"
#include "queue/core/clock.h"
#include "queue/core/service.h"

namespace queue::api {

class Runtime {
 public:
  // Starts opening the storage described by `settings` in the background, at once.
  // `observer` (may be null) is told the storage's commit and fsync timings.
  static std::shared_ptr<Runtime> start(Settings settings, std::shared_ptr<const core::Clock> clock,
                                        std::shared_ptr<core::StorageObserver> observer = nullptr);
  // A runtime that never becomes ready because Queue is misconfigured (logged with `reason`).
  static std::shared_ptr<Runtime> misconfigured(const std::string& reason);

  ~Runtime();  // shutdown()
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // The service once the storage is open; null before that and after shutdown began.
  std::shared_ptr<core::QueueService> service() const;
  bool ready() const { return service() != nullptr; }
  // "starting", "storage_unavailable", "misconfigured", "shutting_down" or "ready". Safe to show
  // to clients; the errors behind it (paths, hosts) go to the log only.
  std::string state() const;
  // How long a client should wait before asking again: until the next open attempt.
  std::chrono::seconds retry_after() const;

  // Stops the opening thread and shuts the service down (parked long polls are
  // answered). Idempotent; safe from any thread but the opening one.
  void shutdown();

 private:
  Runtime(Settings settings, std::shared_ptr<const core::Clock> clock, std::string state);
  void open_until_ready();
  // Waits up to `delay` unless shutdown() comes first; true when it did.
  bool stopped_within(std::chrono::milliseconds delay);

  const Settings settings_;
  const std::shared_ptr<const core::Clock> clock_;
  std::shared_ptr<core::StorageObserver> observer_;  // set before the opening thread starts

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::shared_ptr<core::QueueService> service_;
  std::string state_;
  std::chrono::steady_clock::time_point next_attempt_;
  std::thread opener_;
  std::once_flag shutdown_once_;
};

}  // namespace queue::api
