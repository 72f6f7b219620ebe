// What the heartbeat and the acker tell the worker. Internal to queue/worker.
#pragma once

#include <functional>
#include <string_view>

#include "queue/contract/result.h"
#include "queue/worker/lease.h"

namespace queue::worker {

struct LeaseEvents {
  // The lease is no longer held (already removed from the book); called once per lease.
  std::function<void(const LeasePtr&)> lost;
  // The queue confirmed the ack (already removed from the book).
  std::function<void(const LeasePtr&)> acked;
  // A call failed as a whole.
  std::function<void(std::string_view operation, const contract::Error&)> client_error;
};

}  // namespace queue::worker
