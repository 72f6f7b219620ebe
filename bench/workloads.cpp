#include "bench/workloads.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "bench/drivers/queue_http_client.h"
#include "bench/ledger.h"
#include "bench/server_process.h"
#include "bench/stats_poller.h"
#include "bench/worker_pool.h"

namespace bench {
namespace {

// Backlogs are filled in large batches over a few connections: filling is set-up, not measurement.
constexpr std::size_t kFillConnections = 4;
constexpr std::size_t kFillBatch = 100;  // Queue's largest send
// At each backlog depth the queue is topped up by this much, then as much is consumed
// (timed), so the depth stays within [depth, depth + round] while it is measured.
constexpr std::uint64_t kBacklogRound = 1000;
constexpr std::uint64_t kNoDeadline = std::numeric_limits<std::uint64_t>::max();

std::vector<std::string> make_bodies(std::uint64_t first, std::uint64_t count, std::uint64_t sent_ns) {
  std::vector<std::string> bodies;
  bodies.reserve(count);
  for (std::uint64_t seq = first; seq < first + count; ++seq) bodies.push_back(make_body({seq, sent_ns}));
  return bodies;
}

// Sends sequence numbers [first, last), `batch` per call, workers taking batches from a shared
// cursor. Past `deadline_ns` no batch is taken, so what was sent is still one contiguous range.
PoolResult send_range(const Target& target, std::size_t connections, std::size_t batch, std::uint64_t first,
                      std::uint64_t last, std::uint64_t deadline_ns = kNoDeadline) {
  std::atomic<std::uint64_t> cursor{first};
  return run_pool(target, connections, [&](std::size_t, Client& client, WorkerStats& stats) {
    for (;;) {
      if (now_ns() > deadline_ns) return;
      const std::uint64_t start = cursor.fetch_add(batch);
      if (start >= last) return;
      const std::uint64_t count = std::min<std::uint64_t>(batch, last - start);
      const std::vector<std::string> bodies = make_bodies(start, count, now_ns());
      timed(stats.calls, [&] { client.send(bodies); });
      stats.messages += count;
    }
  });
}

// Claims up to `want` from `remaining`; returns how many were claimed.
std::uint64_t claim(std::atomic<std::uint64_t>& remaining, std::uint64_t want) {
  std::uint64_t left = remaining.load();
  std::uint64_t take = 0;
  do {
    take = std::min(left, want);
  } while (take > 0 && !remaining.compare_exchange_weak(left, left - take));
  return take;
}

struct Drained {
  PoolResult pool;
  bool cut_short = false;  // the deadline passed before the queue was drained
};

// Receives and acks, `batch` per call: two calls, or with `ack_on_receive` one, the acks of
// each batch riding on the next receive. With a quota, stops after that many messages;
// without, stops when a receive finds the queue empty. Stops early past `deadline_ns`.
Drained drain(const Target& target, std::size_t connections, std::size_t batch, bool ack_on_receive, Ledger& ledger,
              std::optional<std::uint64_t> quota, std::uint64_t deadline_ns = kNoDeadline) {
  std::atomic<std::uint64_t> remaining{quota.value_or(0)};
  std::atomic<bool> cut_short{false};
  PoolResult pool = run_pool(target, connections, [&](std::size_t, Client& client, WorkerStats& stats) {
    std::vector<Delivery> unacked;  // ack_on_receive: the last batch, acked by the next receive
    for (;;) {
      if (now_ns() > deadline_ns) {
        cut_short = true;
        break;
      }
      std::uint64_t want = batch;
      if (quota) {
        want = claim(remaining, batch);
        if (want == 0) break;
      }
      std::vector<Delivery> got = timed(stats.calls, [&] {
        return ack_on_receive ? client.ack_and_receive(std::exchange(unacked, {}), want, std::chrono::seconds(0))
                              : client.receive(want, std::chrono::seconds(0));
      });
      if (quota && got.size() < want) remaining.fetch_add(want - got.size());
      if (got.empty()) break;
      for (const Delivery& delivery : got) ledger.record(delivery.body);
      if (!ack_on_receive) timed(stats.calls, [&] { client.ack(got); });
      stats.messages += got.size();
      if (ack_on_receive) unacked = std::move(got);
    }
    // Stopped by the deadline or the quota: nothing stays leased for a visibility timeout.
    if (!unacked.empty()) timed(stats.calls, [&] { client.ack(unacked); });
  });
  return {std::move(pool), cut_short.load()};
}

void create_queue(const Target& target) { connect_client(target)->create_queue(); }

Result from_pool(const Plan& plan, const PoolResult& pool, const ServerCpu& cpu) {
  Result result;
  result.connections = plan.connections;
  result.batch = plan.batch;
  result.messages = pool.stats.messages;
  result.seconds = pool.seconds;
  result.latency = pool.stats.calls;
  result.errors = pool.stats.errors;
  result.server_cpu_seconds = cpu.seconds();
  return result;
}

// Runs `timed_part` with the server's CPU meter running.
template <typename Part>
auto metered(ServerCpu& cpu, Part&& timed_part) {
  cpu.start();
  auto outcome = timed_part();
  cpu.stop();
  return outcome;
}

std::uint64_t deadline_of(const Plan& plan) {
  return plan.max_time ? now_ns() + static_cast<std::uint64_t>(std::chrono::nanoseconds(*plan.max_time).count())
                       : kNoDeadline;
}

}  // namespace

void wait_until_ready(const Target& target, std::chrono::duration<double> timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::size_t servers = std::max<std::size_t>(1, target.endpoints.size());
  for (;;) {
    try {
      for (std::size_t connection = 0; connection < servers; ++connection) connect_client(target, connection)->ping();
      return;
    } catch (const std::exception& error) {
      if (std::chrono::steady_clock::now() > deadline) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g", timeout.count());
        throw std::runtime_error("not ready after " + std::string(seconds) + " s: " + error.what());
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Sends up to plan.messages from sequence number `first` (the queue already exists).
Result produce_from(const Plan& plan, std::uint64_t first) {
  const std::uint64_t deadline = deadline_of(plan);
  ServerCpu cpu(plan.server_pid);
  const PoolResult pool = metered(
      cpu, [&] { return send_range(plan.target, plan.connections, plan.batch, first, first + plan.messages, deadline); });
  Result result = from_pool(plan, pool, cpu);
  result.cut_short = result.errors == 0 && result.messages < plan.messages;
  return result;
}

Result produce(const Plan& plan) {
  create_queue(plan.target);
  return produce_from(plan, 0);
}

Result consume(const Plan& plan) {
  create_queue(plan.target);
  Ledger ledger(plan.messages);
  ServerCpu cpu(plan.server_pid);
  const std::uint64_t deadline = deadline_of(plan);
  const Drained drained =
      metered(cpu, [&] {
        return drain(plan.target, plan.connections, plan.batch, plan.ack_on_receive, ledger, std::nullopt, deadline);
      });
  Result result = from_pool(plan, drained.pool, cpu);
  // Cut short, what did not arrive may still be waiting in the queue: losses are unknown.
  result.ledger = ledger.summary(drained.cut_short ? std::nullopt : std::optional<std::uint64_t>(plan.messages));
  result.cut_short = drained.cut_short;
  return result;
}

// Message `seq` is due at start + seq / rate; producer p sends the sequence numbers
// congruent to p. A late message carries its due time, not the time it went out, so
// a stalled server shows up in the latency instead of slowing the schedule down.
Result steady(const Plan& plan) {
  if (plan.rate <= 0) throw std::invalid_argument("steady needs --rate > 0");
  create_queue(plan.target);
  Ledger ledger(plan.messages);
  const std::size_t producers = plan.connections;
  std::atomic<std::size_t> producers_running{producers};
  std::atomic<std::uint64_t> last_delivery_ns{0};
  const std::uint64_t start_ns = now_ns() + 100'000'000;  // after every worker has connected
  const double interval_ns = 1e9 / plan.rate;

  auto produce_share = [&](std::size_t producer, Client& client, WorkerStats& stats) {
    struct Done {
      std::atomic<std::size_t>& running;
      ~Done() { running.fetch_sub(1); }
    } done{producers_running};
    for (std::uint64_t seq = producer; seq < plan.messages; seq += producers) {
      const auto due = start_ns + static_cast<std::uint64_t>(double(seq) * interval_ns);
      if (const std::uint64_t now = now_ns(); now < due) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
      const std::vector<std::string> bodies{make_body({seq, due})};
      timed(stats.calls, [&] { client.send(bodies); });
    }
  };
  const auto drain_timeout_ns = static_cast<std::uint64_t>(std::chrono::nanoseconds(plan.drain_timeout).count());
  auto consume_until_done = [&](Client& client, WorkerStats& stats) {
    std::uint64_t producers_done_ns = 0;
    while (ledger.distinct() < plan.messages) {
      if (producers_running.load() == 0) {
        // A slow system still drains its backlog; only one that stops delivering altogether
        // for the drain timeout has lost what is missing.
        if (producers_done_ns == 0) producers_done_ns = now_ns();
        if (now_ns() > std::max(producers_done_ns, last_delivery_ns.load()) + drain_timeout_ns) return;
      }
      const std::vector<Delivery> got = client.receive(plan.batch, std::chrono::seconds(1));
      const std::uint64_t arrived = now_ns();
      for (const Delivery& delivery : got) {
        if (auto stamp = ledger.record(delivery.body)) stats.send_to_receive.record(arrived - stamp->sent_ns);
      }
      client.ack(got);
      stats.messages += got.size();
      if (!got.empty()) {
        std::uint64_t seen = last_delivery_ns.load();
        while (seen < arrived && !last_delivery_ns.compare_exchange_weak(seen, arrived)) {
        }
      }
    }
  };

  ServerCpu cpu(plan.server_pid);
  const PoolResult pool = metered(cpu, [&] {
    return run_pool(plan.target, 2 * producers, [&](std::size_t worker, Client& client, WorkerStats& stats) {
      if (worker < producers) {
        produce_share(worker, client, stats);
      } else {
        consume_until_done(client, stats);
      }
    });
  });

  Result result = from_pool(plan, pool, cpu);
  // The rate actually carried: the consumers' last delivery, not their final idle poll, ends the run.
  const std::uint64_t last = last_delivery_ns.load();
  result.seconds = last > start_ns ? double(last - start_ns) / 1e9 : pool.seconds;
  result.latency_kind = LatencyKind::send_to_receive;
  result.latency = pool.stats.send_to_receive;
  result.ledger = ledger.summary(plan.messages);
  return result;
}

std::vector<Result> backlog(const Plan& plan) {
  std::vector<std::uint64_t> depths = plan.backlogs;
  std::sort(depths.begin(), depths.end());
  if (depths.empty() || depths.front() == 0) throw std::invalid_argument("backlog needs depths > 0");
  create_queue(plan.target);

  const std::uint64_t total = depths.back() + depths.size() * plan.messages + kBacklogRound;
  Ledger ledger(total);
  std::uint64_t next_seq = 0;
  std::uint64_t depth = 0;
  auto fill = [&](std::uint64_t count, WorkerStats& into) {
    PoolResult pool = send_range(plan.target, kFillConnections, kFillBatch, next_seq, next_seq + count);
    into.errors += pool.stats.errors;
    next_seq += count;
  };

  std::vector<Result> results;
  for (std::uint64_t target_depth : depths) {
    WorkerStats measured;
    ServerCpu cpu(plan.server_pid);
    double seconds = 0;
    fill(target_depth - depth, measured);
    depth = target_depth;
    const std::uint64_t round = std::min(kBacklogRound, target_depth);
    bool cut_short = false;
    for (std::uint64_t consumed = 0; consumed < plan.messages && measured.errors == 0;) {
      if (plan.max_time && seconds > double(plan.max_time->count())) {
        cut_short = true;
        break;
      }
      const std::uint64_t count = std::min(round, plan.messages - consumed);
      fill(count, measured);
      const PoolResult pool =
          metered(cpu, [&] {
        return drain(plan.target, plan.connections, plan.batch, plan.ack_on_receive, ledger, count).pool;
      });
      seconds += pool.seconds;
      consumed += count;
      measured.merge(pool.stats);
      if (pool.stats.messages < count) ++measured.errors;  // the queue ran dry below its backlog
    }
    Result result;
    result.connections = plan.connections;
    result.batch = plan.batch;
    result.messages = measured.messages;
    result.seconds = seconds;
    result.latency = measured.calls;
    result.errors = measured.errors;
    result.server_cpu_seconds = cpu.seconds();
    result.cut_short = cut_short;
    result.backlog = target_depth;
    result.ledger = ledger.summary(std::nullopt);
    if (plan.server_pid) result.rss_kib = resident_kib(*plan.server_pid);
    results.push_back(std::move(result));
  }
  return results;
}

std::vector<Result> stats_poll(const Plan& plan) {
  create_queue(plan.target);
  const std::uint64_t waiting = QueueHttpClient(plan.target).visible();
  // Alone first, then polled, then scraped, back to back on one server: only their ratios
  // are reported. Each phase finds the queue deeper by what the ones before sent (a few
  // percent of the full run's 10^6), which if anything favours the run without polling.
  std::vector<Result> results{produce_from(plan, 0)};
  results.back().workload = "-alone";
  std::uint64_t sent = results.back().messages;
  for (const auto& [what, producer_suffix, poller_suffix] :
       {std::tuple{Poll::stats, "-polled", "-stats"}, std::tuple{Poll::metrics, "-scraped", "-metrics"}}) {
    Result producer;
    const Polled polled = poll_during(plan.target, what, [&] { producer = produce_from(plan, sent); });
    sent += producer.messages;
    producer.workload = producer_suffix;
    Result poller;
    poller.workload = poller_suffix;
    poller.connections = 1;
    poller.messages = polled.calls.messages;
    poller.seconds = polled.seconds;
    poller.latency = polled.calls.calls;
    poller.errors = polled.calls.errors;
    results.push_back(std::move(producer));
    results.push_back(std::move(poller));
  }
  for (Result& result : results) result.backlog = waiting;
  return results;
}

}  // namespace bench
