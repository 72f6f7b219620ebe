#include "queue/in_process/pending_receive.h"

#include <utility>

#include "queue/in_process/convert.h"

namespace queue::in_process {

template <typename Core>
std::shared_ptr<PendingReceive<Core>> PendingReceive<Core>::create(Done done) {
  return std::shared_ptr<PendingReceive>(new PendingReceive(std::move(done)));
}

template <typename Core>
core::Callback<Core> PendingReceive<Core>::answer_callback() {
  return [self = this->shared_from_this()](core::Result<Core> result) { self->answer(std::move(result)); };
}

template <typename Core>
void PendingReceive<Core>::cancel_on(std::stop_token stop, core::ReceiveHandle handle) {
  if (!stop.stop_possible()) return;
  std::lock_guard lock(mutex_);
  if (answered_) return;  // answered inside receive(): nothing left to cancel
  on_stop_ = std::make_unique<std::stop_callback<Cancel>>(std::move(stop), Cancel{std::move(handle)});
}

template <typename Core>
void PendingReceive<Core>::answer(core::Result<Core> result) {
  std::unique_ptr<std::stop_callback<Cancel>> on_stop;
  Done done;
  {
    std::lock_guard lock(mutex_);
    if (answered_) return;  // the service answers once; this makes it a promise of ours too
    answered_ = true;
    on_stop.swap(on_stop_);
    done.swap(done_);
  }
  on_stop.reset();  // no stop request may cancel anything from here on
  done(to_contract_result(std::move(result)));
}

template class PendingReceive<std::vector<core::ReceivedMessage>>;
template class PendingReceive<core::ReceiveResult>;

}  // namespace queue::in_process
