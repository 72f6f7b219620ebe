// The workloads of issue 4, each against any system through the Client interface.
//
//   produce  (W1, W3 send)  send `messages` bodies, `batch` per call (fewer when `max_time`
//                           runs out: the ones sent are always sequence numbers [0, sent))
//   consume  (W2, W3 receive) drain the queue: receive `batch`, ack them, until empty,
//                           and check that exactly sequence numbers [0, messages) came back
//                           (losses unknown when `max_time` cut it short); with
//                           `ack_on_receive` the acks ride on the next receive instead
//   steady   (W4)          producers at a fixed total `rate` and as many consumers,
//                           measuring send-to-receive latency
//   backlog                 receive rate and server RSS with `backlogs` messages waiting
//   stats-poll              (issue 12; Queue only) produce as W1 does, on a queue that already
//                           holds a backlog, three times: alone, while one more client polls
//                           the queue's stats in a loop, and while it scrapes /metrics in a
//                           loop (stats_poller.h); each phase sends `messages` or stops at `max_time`
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bench/drivers/client.h"
#include "bench/result.h"

namespace bench {

struct Plan {
  Target target;
  std::size_t connections = 4;
  std::size_t batch = 1;
  std::uint64_t messages = 100'000;
  double rate = 0;                      // steady: messages per second over all producers
  std::vector<std::uint64_t> backlogs;  // backlog: depths to measure at, ascending
  std::chrono::seconds drain_timeout{10};  // steady: consumers give up after this long without a delivery
  // produce, consume, and backlog at each depth: stop the timed part after this long, so a
  // system on a slow disk cannot hold a run up for minutes. The row says it was cut short.
  std::optional<std::chrono::seconds> max_time;
  std::optional<int> server_pid;  // whose CPU time and VmRSS to report
  // consume, backlog: each receive carries the previous batch's acks (Client::ack_and_receive,
  // Queue only): one call per batch instead of a receive and an ack.
  bool ack_on_receive = false;
};

// Pings every server the connections of `target` will use until each answers; lets a
// script wait for start-up. std::runtime_error with the last failure after `timeout`.
void wait_until_ready(const Target& target, std::chrono::duration<double> timeout);

// Each returns results with the numbers filled in; the caller names system and mode.
Result produce(const Plan& plan);
Result consume(const Plan& plan);
Result steady(const Plan& plan);
std::vector<Result> backlog(const Plan& plan);
// Five rows, told apart by the suffix in Result::workload: the producer alone ("-alone"),
// polled ("-polled") with the poller's stats calls ("-stats": one message per call), and
// scraped ("-scraped") with the poller's /metrics calls ("-metrics"). Each row's `backlog`
// is what was visible in the queue at the start.
std::vector<Result> stats_poll(const Plan& plan);

}  // namespace bench
