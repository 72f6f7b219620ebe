// When a failed attempt may be tried again, and how long to wait first. Std only and
// free of I/O, so the rules are unit-tested without a socket (tests/remote).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace queue::remote {

// Whether a second attempt of a call could duplicate the first's effect.
enum class Replay {
  // Idempotent, or deduplicated by the server: retried on connection errors, 502, 503, 504.
  safe,
  // Retried only when the request never reached the server (connect or TLS handshake failed).
  only_unsent,
};

// How one attempt ended, as far as retrying cares.
enum class AttemptEnd {
  succeeded,
  not_sent,          // never reached the server: always safe to retry
  maybe_applied,     // connection lost after the request was written, or 502/503/504
  final,             // an answer that another attempt would not change (4xx, 500, garbage)
};

// Whether `end` may be retried for a call of kind `replay` (attempts, budget and
// deadline are checked separately).
constexpr bool may_retry(Replay replay, AttemptEnd end) {
  if (end == AttemptEnd::not_sent) return true;
  return end == AttemptEnd::maybe_applied && replay == Replay::safe;
}

// The statuses a retry may cure: a gateway that could not reach Queue, or Queue
// starting / without storage.
constexpr bool retryable_status(int status) { return status == 502 || status == 503 || status == 504; }

// AWS's retry quota: a retry costs `cost` tokens and a success refunds `refund`, up to
// `capacity`. While a server keeps failing the bucket empties, and the clients stop
// multiplying its load by the number of attempts. Not thread-safe: the client uses it
// on its one I/O thread.
class RetryBudget {
 public:
  RetryBudget(int capacity, int cost, int refund) : capacity_(capacity), cost_(cost), refund_(refund), tokens_(capacity) {}

  // Takes the cost of one retry; false (and nothing taken) when the bucket cannot pay it.
  bool try_spend();
  void on_success();
  int tokens() const { return tokens_; }

 private:
  int capacity_;
  int cost_;
  int refund_;
  int tokens_;
};

// Exponential backoff with full jitter (the AWS Architecture Blog's "Full Jitter"):
// retry n waits uniformly in [0, min(cap, base * 2^(n-1))], which spreads the retries
// of many clients failing together.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed = std::random_device{}())
      : base_(base), cap_(cap), random_(seed) {}

  // The ceiling for retry `retry` (1-based).
  std::chrono::milliseconds ceiling(int retry) const;
  std::chrono::milliseconds delay(int retry);

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::mt19937_64 random_;
};

}  // namespace queue::remote
