#include "tests/worker/fake_queue_client.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace queue::worker::testing {

contract::Error error(contract::ErrorCode code) {
  return contract::Error{code, std::string("fake ") + std::string(contract::to_string(code)), "", std::nullopt};
}

struct FakeQueueClient::Parked {
  int max = 1;
  int visibility_timeout_s = 30;
  contract::Callback<std::vector<contract::ReceivedMessage>> done;
  bool answered = false;  // guarded by the client's mutex
  // Registered after the entry is listed; destroyed with it, outside the client's lock.
  std::optional<std::stop_callback<std::function<void()>>> on_stop;
};

FakeQueueClient::FakeQueueClient(std::shared_ptr<ManualClock> clock, int queue_visibility_timeout_s)
    : clock_(std::move(clock)), queue_visibility_timeout_s_(queue_visibility_timeout_s) {}

FakeQueueClient::~FakeQueueClient() {
  std::vector<std::shared_ptr<Parked>> parked;
  {
    std::lock_guard lock(mutex_);
    for (auto& entry : parked_) entry->answered = true;
    parked.swap(parked_);
  }
  for (auto& entry : parked) entry->done(std::vector<contract::ReceivedMessage>{});
}

// --- steering ---

std::string FakeQueueClient::push(std::string body, int receive_count) {
  std::vector<Answer> answers;
  std::string id;
  {
    std::lock_guard lock(mutex_);
    const std::uint64_t number = next_id_++;
    messages_[number] = Message{std::move(body), receive_count, clock_->now(), "", 0};
    id = std::to_string(number);
    answers = wake_locked();
  }
  run(std::move(answers));
  return id;
}

void FakeQueueClient::advance(std::chrono::milliseconds delta) {
  std::vector<Answer> answers;
  {
    std::lock_guard lock(mutex_);
    clock_->advance(delta);
    answers = wake_locked();
  }
  run(std::move(answers));
}

void FakeQueueClient::steal_lease(const std::string& id) {
  std::lock_guard lock(mutex_);
  Message& message = messages_.at(std::stoull(id));
  message.receipt = "someone-else";
  message.visible_at = clock_->now() + std::chrono::hours(1);
}

void FakeQueueClient::fail_acks(std::optional<contract::Error> failure, int times) {
  std::lock_guard lock(mutex_);
  ack_error_ = std::move(failure);
  ack_failures_left_ = times;
}

void FakeQueueClient::fail_visibility(std::optional<contract::Error> failure) {
  std::lock_guard lock(mutex_);
  visibility_error_ = std::move(failure);
}

void FakeQueueClient::hold_receives(bool hold) {
  std::lock_guard lock(mutex_);
  hold_receives_ = hold;
}

// --- observing ---

std::vector<FakeQueueClient::ReceiveCall> FakeQueueClient::receive_calls() const {
  std::lock_guard lock(mutex_);
  return receive_calls_;
}

std::vector<std::vector<std::string>> FakeQueueClient::ack_calls() const {
  std::lock_guard lock(mutex_);
  return ack_calls_;
}

std::vector<FakeQueueClient::VisibilityCall> FakeQueueClient::visibility_calls() const {
  std::lock_guard lock(mutex_);
  return visibility_calls_;
}

std::size_t FakeQueueClient::parked_receives() const {
  std::lock_guard lock(mutex_);
  return parked_.size();
}

std::size_t FakeQueueClient::remaining() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

bool FakeQueueClient::visible_now(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = messages_.find(std::stoull(id));
  return it != messages_.end() && it->second.visible_at <= clock_->now();
}

std::string FakeQueueClient::receipt_of(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = messages_.find(std::stoull(id));
  return it == messages_.end() ? std::string() : it->second.receipt;
}

int FakeQueueClient::get_queue_calls() const {
  std::lock_guard lock(mutex_);
  return get_queue_calls_;
}

bool FakeQueueClient::wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  // Polling rather than a condition variable: `ready` reads this client, which locks.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// --- the calls the worker makes ---

void FakeQueueClient::async_get_queue(std::string name, contract::CallOptions,
                                      contract::Callback<contract::QueueInfo> done) {
  contract::QueueInfo info;
  {
    std::lock_guard lock(mutex_);
    ++get_queue_calls_;
    info.name = std::move(name);
    info.attributes.visibility_timeout_s = queue_visibility_timeout_s_;
  }
  done(std::move(info));
}

void FakeQueueClient::async_receive(std::string, contract::ReceiveRequest request, contract::CallOptions call,
                                    contract::Callback<std::vector<contract::ReceivedMessage>> done) {
  auto parked = std::make_shared<Parked>();
  parked->max = request.max;
  parked->visibility_timeout_s = request.visibility_timeout_s.value_or(queue_visibility_timeout_s_);
  {
    std::unique_lock lock(mutex_);
    receive_calls_.push_back(ReceiveCall{request, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      call.deadline - std::chrono::steady_clock::now())});
    if (!hold_receives_ || request.wait_s == 0) {
      std::vector<contract::ReceivedMessage> leased = lease_locked(parked->max, parked->visibility_timeout_s);
      if (!leased.empty() || request.wait_s == 0 || call.stop.stop_requested()) {
        lock.unlock();
        done(std::move(leased));
        return;
      }
    }
    parked->done = std::move(done);
    parked_.push_back(parked);
  }
  std::weak_ptr<Parked> weak = parked;
  parked->on_stop.emplace(call.stop, std::function<void()>([this, weak] {
                            if (auto entry = weak.lock()) answer_cancelled(entry);
                          }));
}

void FakeQueueClient::async_ack(std::string, std::vector<std::string> receipts, contract::CallOptions,
                                contract::Callback<contract::AckResult> done) {
  std::unique_lock lock(mutex_);
  ack_calls_.push_back(receipts);
  if (ack_error_ && ack_failures_left_ > 0) {
    --ack_failures_left_;
    contract::Error failure = *ack_error_;
    lock.unlock();
    done(std::move(failure));
    return;
  }
  contract::AckResult result;
  for (const std::string& receipt : receipts) {
    Message* message = nullptr;
    if (receipt_current_locked(receipt, &message)) {
      messages_.erase(std::stoull(receipt.substr(0, receipt.find('#'))));
      ++result.acked;
    } else {
      result.failed.push_back(contract::ReceiptFailure{receipt, contract::ErrorCode::receipt_invalid});
    }
  }
  lock.unlock();
  done(std::move(result));
}

void FakeQueueClient::async_change_visibility(std::string, std::vector<std::string> receipts,
                                              int visibility_timeout_s, contract::CallOptions,
                                              contract::Callback<contract::VisibilityResult> done) {
  std::vector<Answer> answers;
  std::optional<contract::Error> failure;
  contract::VisibilityResult result;
  {
    std::lock_guard lock(mutex_);
    visibility_calls_.push_back(VisibilityCall{receipts, visibility_timeout_s});
    failure = visibility_error_;
    if (!failure) {
      for (const std::string& receipt : receipts) {
        Message* message = nullptr;
        if (!receipt_current_locked(receipt, &message)) {
          result.failed.push_back(contract::ReceiptFailure{receipt, contract::ErrorCode::receipt_invalid});
          continue;
        }
        message->visible_at = clock_->now() + std::chrono::seconds(visibility_timeout_s);
        if (visibility_timeout_s == 0) message->receipt.clear();  // given back: the lease is over
        ++result.updated;
      }
      answers = wake_locked();
    }
  }
  run(std::move(answers));
  if (failure) {
    done(std::move(*failure));
  } else {
    done(std::move(result));
  }
}

// --- not used by the worker ---

void FakeQueueClient::async_put_queue(std::string, contract::QueuePatch, contract::CallOptions,
                                      contract::Callback<contract::PutQueueResult> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_list_queues(contract::ListQueuesRequest, contract::CallOptions,
                                        contract::Callback<contract::QueueList> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_delete_queue(std::string, contract::CallOptions, contract::Callback<contract::Done> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_send(std::string, std::vector<contract::OutgoingMessage>, contract::CallOptions,
                                 contract::Callback<contract::SendResult> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_peek(std::string, contract::PeekRequest, contract::CallOptions,
                                 contract::Callback<contract::PeekPage> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_get_message(std::string, std::string, contract::CallOptions,
                                        contract::Callback<contract::PeekedMessage> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_purge(std::string, contract::CallOptions, contract::Callback<contract::PurgeResult> done) {
  done(error(contract::ErrorCode::internal_error));
}
void FakeQueueClient::async_redrive(std::string, contract::RedriveRequest, contract::CallOptions,
                                    contract::Callback<contract::RedriveResult> done) {
  done(error(contract::ErrorCode::internal_error));
}

// --- internals ---

std::vector<contract::ReceivedMessage> FakeQueueClient::lease_locked(int max, int visibility_timeout_s) {
  std::vector<contract::ReceivedMessage> leased;
  const Clock::time_point now = clock_->now();
  for (auto& [number, message] : messages_) {
    if (static_cast<int>(leased.size()) >= max) break;
    if (message.visible_at > now) continue;
    ++message.receive_count;
    ++message.generation;
    message.receipt = std::to_string(number) + "#" + std::to_string(message.generation);
    message.visible_at = now + std::chrono::seconds(visibility_timeout_s);
    contract::ReceivedMessage received;
    received.id = std::to_string(number);
    received.body = message.body;
    received.receipt = message.receipt;
    received.receive_count = message.receive_count;
    leased.push_back(std::move(received));
  }
  return leased;
}

bool FakeQueueClient::receipt_current_locked(const std::string& receipt, Message** message) {
  const auto hash = receipt.find('#');
  if (hash == std::string::npos) return false;
  auto it = messages_.find(std::stoull(receipt.substr(0, hash)));
  if (it == messages_.end() || it->second.receipt != receipt || it->second.visible_at <= clock_->now()) return false;
  *message = &it->second;
  return true;
}

std::vector<FakeQueueClient::Answer> FakeQueueClient::wake_locked() {
  std::vector<Answer> answers;
  if (hold_receives_) return answers;
  for (auto it = parked_.begin(); it != parked_.end();) {
    std::vector<contract::ReceivedMessage> leased = lease_locked((*it)->max, (*it)->visibility_timeout_s);
    if (leased.empty()) {
      ++it;
      continue;
    }
    std::shared_ptr<Parked> entry = *it;
    entry->answered = true;
    it = parked_.erase(it);
    answers.push_back([entry, leased = std::move(leased)]() mutable { entry->done(std::move(leased)); });
  }
  return answers;
}

void FakeQueueClient::run(std::vector<Answer> answers) {
  for (Answer& answer : answers) answer();
}

void FakeQueueClient::answer_cancelled(const std::shared_ptr<Parked>& parked) {
  std::vector<contract::ReceivedMessage> leased;
  {
    std::lock_guard lock(mutex_);
    if (parked->answered) return;
    parked->answered = true;
    std::erase(parked_, parked);
    if (hold_receives_) leased = lease_locked(parked->max, parked->visibility_timeout_s);
  }
  parked->done(std::move(leased));
}

}  // namespace queue::worker::testing
