#include "queue/worker/signals.h"

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace queue::worker {

TerminationSignals::TerminationSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  if (const int error = pthread_sigmask(SIG_BLOCK, &signals_, &previous_); error != 0) {
    throw std::system_error(error, std::generic_category(), "pthread_sigmask");
  }
}

TerminationSignals::~TerminationSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

int TerminationSignals::wait() {
  int signal = 0;
  while (true) {
    const int error = sigwait(&signals_, &signal);
    if (error == 0) return signal;
    if (error != EINTR) throw std::system_error(error, std::generic_category(), "sigwait");
  }
}

int run_until_signal(Worker& worker, TerminationSignals& signals) {
  worker.start();
  const int signal = signals.wait();
  worker.stop();
  return signal;
}

}  // namespace queue::worker
