// What a handler receives (Job) and what it answers (Outcome).
//
//   Outcome handle(const Job& job) {
//     if (!charge(job.body(), job.stop_token())) return Outcome::retry();
//     return Outcome::ack();
//   }
//
// A handler is blocking code running on one of the worker's own threads. It should
// watch job.stop_token() in anything long: the token fires when the worker lost the
// message's lease (someone else may be processing it now; whatever the handler
// returns is dropped), when the handler's timeout passed, or when shutdown's drain
// timeout ran out. job.stop_reason() tells which.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "queue/contract/types.h"

namespace queue::worker {

// Why a job's stop token fired (the first reason wins).
enum class StopReason { none, lease_lost, timeout, shutdown };

class Job {
 public:
  // The worker makes Jobs; a test of a handler can make one the same way.
  explicit Job(const contract::ReceivedMessage& message, std::stop_token stop = {}, std::string_view queue = {},
               const std::atomic<StopReason>* reason = nullptr)
      : message_(&message), stop_(std::move(stop)), queue_(queue), reason_(reason) {}

  const std::string& id() const { return message_->id; }
  const std::string& body() const { return message_->body; }
  const contract::MessageAttributes& attributes() const { return message_->attributes; }
  // 1 on the first delivery. The queue's dead_letter.max_receives ends a poison
  // message: the delivery after the last allowed one moves it to the dead-letter
  // queue instead, so a message that always fails is not retried forever.
  int receive_count() const { return message_->receive_count; }
  const std::optional<std::string>& group_id() const { return message_->group_id; }
  std::string_view queue() const { return queue_; }
  const contract::ReceivedMessage& message() const { return *message_; }

  const std::stop_token& stop_token() const { return stop_; }
  bool stop_requested() const { return stop_.stop_requested(); }
  StopReason stop_reason() const { return reason_ ? reason_->load(std::memory_order_acquire) : StopReason::none; }

 private:
  const contract::ReceivedMessage* message_;
  std::stop_token stop_;
  std::string_view queue_;
  const std::atomic<StopReason>* reason_;
};

// A handler's answer. An exception thrown by the handler counts as Outcome::retry().
class Outcome {
 public:
  enum class Kind { ack, retry };

  // Done: the message is deleted (acks are batched; see WorkerOptions::ack_flush_delay).
  static Outcome ack() { return Outcome(Kind::ack, std::nullopt); }
  // Deliver again later, after the worker's backoff: exponential in receive_count,
  // full jitter, capped (BackoffPolicy).
  static Outcome retry() { return Outcome(Kind::retry, std::nullopt); }
  // Deliver again after exactly `delay` (whole seconds, as the API counts them).
  static Outcome retry_after(std::chrono::seconds delay) { return Outcome(Kind::retry, delay); }

  Kind kind() const { return kind_; }
  // retry_after's delay; absent for ack and for retry() (the backoff decides).
  std::optional<std::chrono::seconds> delay() const { return delay_; }

 private:
  Outcome(Kind kind, std::optional<std::chrono::seconds> delay) : kind_(kind), delay_(delay) {}
  Kind kind_;
  std::optional<std::chrono::seconds> delay_;
};

}  // namespace queue::worker
