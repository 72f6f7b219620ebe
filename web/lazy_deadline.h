// A connection's deadline that costs nothing to move later (private to web/server.cpp).
//
// Every request moves its connection's deadline (waiting, reading, writing), and
// re-arming an Asio timer each time cost a timerfd_settime(2) about every other
// request: whenever the re-armed timer became its io_context's earliest. Here
// moving the deadline later only stores it. The timer stays armed for the earliest
// deadline it was given; when it fires and finds the deadline moved on, it re-arms
// for the deadline now in force. It is re-armed at once only when the deadline moves
// earlier than it is armed for. A busy connection thus re-arms about once per
// timeout (30 s by default) instead of once per request, and a deadline still holds
// to the tick of its timer.
//
// Used from one thread at a time: the connection's, which runs the timer's executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace web::detail {

class LazyDeadline {
 public:
  using clock = std::chrono::steady_clock;
  static constexpr clock::time_point never = clock::time_point::max();

  explicit LazyDeadline(const boost::asio::any_io_executor& executor) : timer_(executor) {}

  // From now on the deadline is `at` (never: none). Once it passes, `(owner->*on_expired)()`
  // runs on the timer's executor; `owner` is kept alive while the timer waits.
  template <class Owner>
  void expires_at(clock::time_point at, const std::shared_ptr<Owner>& owner, void (Owner::*on_expired)()) {
    deadline_ = at;
    if (at == never || (armed_ && armed_for_ <= at)) return;
    arm(at, owner, on_expired);
  }

  // No deadline, and the timer lets go of its owner now (a closed connection must not
  // wait for a timer it no longer needs).
  void cancel() {
    deadline_ = never;
    armed_ = false;
    ++generation_;
    timer_.cancel();
  }

 private:
  template <class Owner>
  void arm(clock::time_point at, const std::shared_ptr<Owner>& owner, void (Owner::*on_expired)()) {
    armed_ = true;
    armed_for_ = at;
    const std::uint64_t generation = ++generation_;
    timer_.expires_at(at);  // a pending wait completes with operation_aborted
    timer_.async_wait([this, owner, on_expired, generation](const boost::system::error_code& ec) {
      // Cancelled, or re-armed since (a wait that had already fired when it was re-armed).
      if (ec || generation != generation_) return;
      armed_ = false;
      if (deadline_ == never) return;
      if (clock::now() >= deadline_) return (owner.get()->*on_expired)();
      arm(deadline_, owner, on_expired);
    });
  }

  boost::asio::steady_timer timer_;
  clock::time_point deadline_ = never;
  clock::time_point armed_for_ = never;
  bool armed_ = false;
  std::uint64_t generation_ = 0;  // which wait is current
};

}  // namespace web::detail
