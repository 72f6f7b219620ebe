// Test harness for QueueService: a service over a fresh database of the running
// test's engine (engines.h) and a ManualClock, plus blocking wrappers around the
// asynchronous API (every wait is bounded, so a lost callback fails the test
// instead of hanging it).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "queue/core/clock.h"
#include "queue/core/service.h"
#include "queue/storage/open.h"
#include "engines.h"

namespace queue::testing {

using namespace queue::core;

inline constexpr auto callback_timeout = std::chrono::seconds(10);

// Waits for one callback of an asynchronous call: call([&](Result<T>) {...}).
template <typename T, typename Call>
Result<T> await(Call&& call) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  call([promise](Result<T> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(callback_timeout) != std::future_status::ready) {
    ADD_FAILURE() << "callback did not run within the timeout";
    return Error{ErrorCode::internal, "timeout"};
  }
  return future.get();
}

// A future for a call whose answer the test collects later (long polls).
template <typename T>
struct Pending {
  std::shared_ptr<std::promise<Result<T>>> promise = std::make_shared<std::promise<Result<T>>>();
  std::shared_future<Result<T>> future = promise->get_future().share();

  Callback<T> callback() {
    return [p = promise](Result<T> result) { p->set_value(std::move(result)); };
  }
  bool ready(std::chrono::milliseconds within = std::chrono::milliseconds(0)) const {
    return future.wait_for(within) == std::future_status::ready;
  }
  Result<T> get() const {
    if (!ready(callback_timeout)) {
      ADD_FAILURE() << "callback did not run within the timeout";
      return Error{ErrorCode::internal, "timeout"};
    }
    return future.get();
  }
};

OutgoingMessage message(std::string body);
OutgoingMessage fifo_message(std::string body, std::string group_id);

class ServiceHarness {
 public:
  // `persistent`: a database that outlives restart_service() (SQLite: a file, not memory).
  explicit ServiceHarness(ServiceOptions options = {}, bool persistent = false,
                          storage::Durability durability = storage::Durability::os);
  // Another service on `shared`'s database with the same clock: to the database, a
  // second Queue process.
  struct SameDatabaseAs {
    const ServiceHarness& other;
  };
  explicit ServiceHarness(SameDatabaseAs shared, ServiceOptions options = {});
  // A service running one engine per store over a pool of `stores` stores
  // (QUEUE_DB_POOL_SIZE), on a fresh database of the running test's engine.
  struct Pool {
    int stores = 1;
  };
  explicit ServiceHarness(Pool pool, ServiceOptions options = {});
  ServiceHarness(const ServiceHarness&) = delete;
  ServiceHarness& operator=(const ServiceHarness&) = delete;
  ~ServiceHarness();

  QueueService& service() { return *service_; }
  ManualClock& clock() { return *clock_; }
  // Moves the clock and lets the engine see it.
  void advance_ms(std::int64_t ms);
  // Returns once the engine processed everything posted before (a round trip).
  void settle();
  void restart_service();  // shutdown, then a new service on the same database
  const std::string& database_url() const { return database_url_; }

  QueueInfo create(const std::string& name, AttributesPatch patch = {});
  Result<PutQueueResult> put(const std::string& name, AttributesPatch patch = {});
  Result<QueueInfo> get(const std::string& name);
  Result<SendResult> send(const std::string& queue, std::vector<OutgoingMessage> messages);
  std::string send_one(const std::string& queue, std::string body);
  Result<std::vector<ReceivedMessage>> receive(const std::string& queue, ReceiveOptions options = {});
  std::vector<ReceivedMessage> receive_ok(const std::string& queue, int max = 1,
                                          std::optional<int> visibility_timeout_s = std::nullopt);
  Result<AckResult> ack(const std::string& queue, std::vector<std::string> receipts);
  Result<VisibilityResult> change_visibility(const std::string& queue, std::vector<std::string> receipts,
                                             int timeout_s);
  Result<std::vector<PeekedMessage>> peek(const std::string& queue, PeekState state, int limit = 100);
  Result<PeekPage> peek_page(const std::string& queue, PeekState state, int limit, std::string cursor = {});
  Result<PeekedMessage> get_message(const std::string& queue, const std::string& id);
  QueueStats stats(const std::string& queue);

 private:
  std::unique_ptr<TestDatabase> database_;  // outlives service_; null when shared
  std::string database_url_;
  ServiceOptions options_;
  storage::Durability durability_;
  int pool_size_ = 1;
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<QueueService> service_;
};

// Tallies deliveries seen by concurrent consumers, so a test can assert that each
// message was delivered exactly once.
class DeliveryCounter {
 public:
  enum class Key { id, body };
  explicit DeliveryCounter(Key key = Key::id) : key_(key) {}

  // Receives up to `max` messages from `queue` without waiting, counts each, and
  // returns their receipts: empty when there was nothing (or the receive failed).
  std::vector<std::string> receive(ServiceHarness& service, const std::string& queue, int max);
  std::map<std::string, int> counts() const;

 private:
  const Key key_;
  mutable std::mutex mutex_;
  std::map<std::string, int> counts_;
};

// Body strings of messages, in order.
std::vector<std::string> bodies(const std::vector<ReceivedMessage>& messages);

}  // namespace queue::testing
