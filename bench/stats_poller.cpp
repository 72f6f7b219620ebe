#include "bench/stats_poller.h"

#include <atomic>
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "bench/drivers/queue_http_client.h"

namespace bench {

Polled poll_during(const Target& target, Poll what, const std::function<void()>& part) {
  if (target.system != System::queue) throw std::invalid_argument("stats polling speaks Queue's HTTP API only");
  // Connected (and the route checked) before the part starts, so the poller polls from its first moment on.
  QueueHttpClient client(target);
  const auto ask = [&] { what == Poll::stats ? static_cast<void>(client.visible()) : client.metrics(); };
  ask();
  Polled polled;
  std::atomic<bool> stop{false};
  std::thread poller([&] {
    const auto start = std::chrono::steady_clock::now();
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        timed(polled.calls.calls, ask);
        ++polled.calls.messages;
      }
    } catch (const std::exception& error) {
      std::cerr << "queue-bench: poller: " << error.what() << "\n";
      ++polled.calls.errors;
    }
    polled.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  struct StopAndJoin {  // also when `part` throws: a joinable std::thread must not be destroyed
    std::atomic<bool>& stop;
    std::thread& poller;
    ~StopAndJoin() {
      stop = true;
      poller.join();
    }
  };
  {
    StopAndJoin stopper{stop, poller};
    part();
  }
  return polled;
}

}  // namespace bench
