// A Queue mounted in the benchmark's own process (queue::mount_queue), the way Raptor
// mounts it, but with no HTTP server: only its in-process client is called.
#pragma once

#include <memory>
#include <string>

#include "queue/api/app.h"

namespace bench {

class InProcessQueue {
 public:
  // `database_url` as QUEUE_DATABASE_URL (e.g. sqlite:/tmp/x/q.db), `durability` as
  // QUEUE_DURABILITY (fsync or os). The storage opens in the background: wait for
  // readiness (wait_until_ready) before timing anything.
  InProcessQueue(const std::string& database_url, const std::string& durability);
  // Runs the mount's shutdown hooks, as a server's drain would, so the store closes cleanly.
  ~InProcessQueue();
  InProcessQueue(const InProcessQueue&) = delete;
  InProcessQueue& operator=(const InProcessQueue&) = delete;

  const std::shared_ptr<queue::contract::QueueClient>& client() const { return mount_.client; }

 private:
  queue::QueueMount mount_;
};

}  // namespace bench
