// FakeQueueClient: contract::QueueClient in memory, for testing the worker SDK
// deterministically. One queue's messages, leased by receives and fenced by receipts
// as the real service does (a receipt is current until its lease ends, is changed
// to 0, or the message is acked), with time from a ManualClock that the worker
// shares. What tests steer: failing calls, stolen leases, receives held until
// cancelled. What they observe: every call, with its receipts and arguments.
//
// Callbacks run inline, on the calling thread, as the in-process client's may; a
// parked receive is answered by the thread that wakes it (push, poke, or the thread
// requesting its stop).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "queue/contract/client.h"
#include "queue/worker/clock.h"

namespace queue::worker::testing {

class FakeQueueClient final : public contract::QueueClient {
 public:
  struct ReceiveCall {
    contract::ReceiveRequest request;
    std::chrono::milliseconds deadline_in;  // how far ahead the call's deadline was
  };
  struct VisibilityCall {
    std::vector<std::string> receipts;
    int timeout_s = 0;
  };

  explicit FakeQueueClient(std::shared_ptr<ManualClock> clock, int queue_visibility_timeout_s = 30);
  ~FakeQueueClient() override;

  // --- steering ---
  // A visible message; returns its id. `receive_count`: deliveries so far.
  std::string push(std::string body, int receive_count = 0);
  // Moves the clock and wakes parked receives that can now be answered.
  void advance(std::chrono::milliseconds delta);
  // Someone else took the message: its current receipt becomes stale.
  void steal_lease(const std::string& id);
  // Every later call of that kind fails as a whole with `error` (nullopt: succeeds again).
  void fail_acks(std::optional<contract::Error> error, int times = 1'000'000);
  void fail_visibility(std::optional<contract::Error> error);
  // Parked receives are answered only when cancelled, and then with what is visible
  // (the race of an answer arriving as stop is requested, made certain).
  void hold_receives(bool hold);

  // --- observing ---
  std::vector<ReceiveCall> receive_calls() const;
  std::vector<std::vector<std::string>> ack_calls() const;
  std::vector<VisibilityCall> visibility_calls() const;
  std::size_t parked_receives() const;
  std::size_t remaining() const;  // messages not acked
  bool visible_now(const std::string& id) const;
  std::string receipt_of(const std::string& id) const;
  int get_queue_calls() const;

  // Waits (in real time, at most `timeout`) until `ready()`; re-checked after every call.
  bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout = std::chrono::seconds(3));

  // --- contract::QueueClient ---
  std::string_view transport() const override { return "fake"; }
  void async_put_queue(std::string, contract::QueuePatch, contract::CallOptions,
                       contract::Callback<contract::PutQueueResult> done) override;
  void async_get_queue(std::string name, contract::CallOptions, contract::Callback<contract::QueueInfo> done) override;
  void async_list_queues(contract::ListQueuesRequest, contract::CallOptions,
                         contract::Callback<contract::QueueList> done) override;
  void async_delete_queue(std::string, contract::CallOptions, contract::Callback<contract::Done> done) override;
  void async_send(std::string, std::vector<contract::OutgoingMessage>, contract::CallOptions,
                  contract::Callback<contract::SendResult> done) override;
  void async_receive(std::string queue, contract::ReceiveRequest request, contract::CallOptions call,
                     contract::Callback<std::vector<contract::ReceivedMessage>> done) override;
  void async_ack(std::string queue, std::vector<std::string> receipts, contract::CallOptions call,
                 contract::Callback<contract::AckResult> done) override;
  void async_change_visibility(std::string queue, std::vector<std::string> receipts, int visibility_timeout_s,
                               contract::CallOptions call, contract::Callback<contract::VisibilityResult> done) override;
  void async_peek(std::string, contract::PeekRequest, contract::CallOptions,
                  contract::Callback<contract::PeekPage> done) override;
  void async_get_message(std::string, std::string, contract::CallOptions,
                         contract::Callback<contract::PeekedMessage> done) override;
  void async_purge(std::string, contract::CallOptions, contract::Callback<contract::PurgeResult> done) override;
  void async_redrive(std::string, contract::RedriveRequest, contract::CallOptions,
                     contract::Callback<contract::RedriveResult> done) override;

 private:
  struct Message {
    std::string body;
    int receive_count = 0;
    Clock::time_point visible_at;
    std::string receipt;  // "" when not leased
    std::uint64_t generation = 0;
  };
  struct Parked;
  using Answer = std::function<void()>;

  // Leases up to `max` visible messages. Lock held.
  std::vector<contract::ReceivedMessage> lease_locked(int max, int visibility_timeout_s);
  bool receipt_current_locked(const std::string& receipt, Message** message);
  // Answers the parked receives that have messages now; returns them to call outside the lock.
  std::vector<Answer> wake_locked();
  void run(std::vector<Answer> answers);
  void answer_cancelled(const std::shared_ptr<Parked>& parked);

  std::shared_ptr<ManualClock> clock_;
  const int queue_visibility_timeout_s_;

  mutable std::mutex mutex_;
  std::map<std::uint64_t, Message> messages_;  // by id, so receives go in order
  std::uint64_t next_id_ = 1;
  std::vector<std::shared_ptr<Parked>> parked_;
  std::optional<contract::Error> ack_error_;
  int ack_failures_left_ = 0;
  std::optional<contract::Error> visibility_error_;
  bool hold_receives_ = false;
  std::vector<ReceiveCall> receive_calls_;
  std::vector<std::vector<std::string>> ack_calls_;
  std::vector<VisibilityCall> visibility_calls_;
  int get_queue_calls_ = 0;
};

// An Error as a transport would give it.
contract::Error error(contract::ErrorCode code);

}  // namespace queue::worker::testing
