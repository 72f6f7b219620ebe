// One receive from its call to its answer: relays the service's answer to the caller
// exactly once and, while the receive waits, turns a stop request into
// ReceiveHandle::cancel() (the parked long poll then answers an empty list at once).
//
// Shared by the caller (which registers the stop callback once the service handed
// back the handle) and the service's callback (which may run before that, even
// inside the very receive() call). The stop callback lives until the answer, and is
// destroyed outside the lock: std::stop_callback's destructor waits for a callback
// running on another thread, and that callback (cancel()) only sets a flag and wakes
// the engine, so the wait is short and can never be on us.
#pragma once

#include <memory>
#include <mutex>
#include <stop_token>
#include <utility>
#include <vector>

#include "queue/contract/client.h"
#include "queue/core/service.h"
#include "queue/in_process/convert.h"

namespace queue::in_process {

// `Core` is what the service answers: a list of messages, or a ReceiveResult.
template <typename Core>
class PendingReceive : public std::enable_shared_from_this<PendingReceive<Core>> {
 public:
  using Done = contract::Callback<decltype(to_contract(std::declval<Core>()))>;

  static std::shared_ptr<PendingReceive> create(Done done);

  // The callback to give QueueService::receive() or receive_with_acks().
  core::Callback<Core> answer_callback();
  // Cancels the receive when `stop` is requested (at once if it already was), unless
  // it has been answered already.
  void cancel_on(std::stop_token stop, core::ReceiveHandle handle);

 private:
  struct Cancel {
    core::ReceiveHandle handle;
    void operator()() { handle.cancel(); }
  };

  explicit PendingReceive(Done done) : done_(std::move(done)) {}
  void answer(core::Result<Core> result);

  std::mutex mutex_;
  bool answered_ = false;
  std::unique_ptr<std::stop_callback<Cancel>> on_stop_;  // neither movable nor copyable: held by pointer
  Done done_;
};

extern template class PendingReceive<std::vector<core::ReceivedMessage>>;
extern template class PendingReceive<core::ReceiveResult>;

}  // namespace queue::in_process
