// The thread that LISTENs for what other Queue processes on the same database did.
//
// A store NOTIFYs its channel after each commit that may have made messages
// receivable ("m:<queue id>") or changed a queue's attributes ("q:<queue id>").
// This thread holds its own connection, waits on its socket (no polling), and
// hands each notification from another process to the callback. When the
// connection drops it reconnects with backoff and then reports `unknown`: whatever
// happened meanwhile was not heard, so the engine re-reads everything.
//
// One Listener per process and channel serves every store on it (ListenerHub):
// each LISTENing connection is one more backend that PostgreSQL signals, and one
// more thread here that wakes, on every NOTIFY of every process, so a pool of N
// stores with a listener each would pay N times for every commit anywhere.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queue/core/store.h"

namespace queue::storage::postgres {

class Listener {
 public:
  // A change, and the backend pid that notified it (0 for `unknown`).
  using Deliver = std::function<void(const core::ExternalChange&, int from_pid)>;
  Listener(std::string url, std::string channel, Deliver deliver);
  ~Listener();  // stops and joins
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Parses a payload ("m:12", "q:7"); nullopt for anything else.
  static std::optional<core::ExternalChange> parse(std::string_view payload);

 private:
  void run();

  std::string url_;
  std::string channel_;
  Deliver deliver_;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};
  std::thread thread_;
};

// The process's one Listener for a (database, channel), shared by the stores that
// subscribe to it; it stops when the last subscription goes.
class ListenerHub {
 public:
  using Notify = std::function<void(const core::ExternalChange&)>;

  class Subscription {
   public:
    Subscription(std::shared_ptr<ListenerHub> hub, std::uint64_t id) : hub_(std::move(hub)), id_(id) {}
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    std::shared_ptr<ListenerHub> hub_;
    std::uint64_t id_;
  };

  // `own_pid`: the backend pid of the subscribing store's own connection; its
  // notifications describe changes that store's process already knows about and are
  // not handed to it. `notify` runs on the listener thread.
  static std::unique_ptr<Subscription> subscribe(const std::string& url, const std::string& channel,
                                                 const std::atomic<int>& own_pid, Notify notify);

  ListenerHub(std::string url, std::string channel);

 private:
  struct Subscriber {
    std::uint64_t id;
    const std::atomic<int>* own_pid;
    Notify notify;
  };
  void deliver(const core::ExternalChange& change, int from_pid);
  void unsubscribe(std::uint64_t id);

  std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
  std::unique_ptr<Listener> listener_;  // last: stops (and joins) before the subscribers go
};

}  // namespace queue::storage::postgres
