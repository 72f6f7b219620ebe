#include "queue/api/runtime.h"

#include <algorithm>
#include <exception>

#include "common/log.h"
#include "queue/storage/open.h"

namespace queue::api {

std::shared_ptr<Runtime> Runtime::start(Settings settings, std::shared_ptr<const core::Clock> clock,
                                        std::shared_ptr<core::StorageObserver> observer) {
  std::shared_ptr<Runtime> runtime(new Runtime(std::move(settings), std::move(clock), "starting"));
  runtime->observer_ = std::move(observer);
  runtime->opener_ = std::thread([raw = runtime.get()] { raw->open_until_ready(); });
  return runtime;
}

std::shared_ptr<Runtime> Runtime::misconfigured(const std::string& reason) {
  common::log::error("queue_misconfigured", {{"error", reason}});
  std::shared_ptr<Runtime> runtime(new Runtime(Settings{}, nullptr, "misconfigured"));
  // Nothing changes until an operator fixes the config and restarts: no point asking often.
  runtime->next_attempt_ += std::chrono::seconds(60);
  return runtime;
}

Runtime::Runtime(Settings settings, std::shared_ptr<const core::Clock> clock, std::string state)
    : settings_(std::move(settings)),
      clock_(std::move(clock)),
      state_(std::move(state)),
      next_attempt_(std::chrono::steady_clock::now()) {}

Runtime::~Runtime() { shutdown(); }

std::shared_ptr<core::QueueService> Runtime::service() const {
  std::lock_guard lock(mutex_);
  return stopping_ ? nullptr : service_;
}

std::string Runtime::state() const {
  std::lock_guard lock(mutex_);
  return stopping_ ? "shutting_down" : state_;
}

std::chrono::seconds Runtime::retry_after() const {
  std::lock_guard lock(mutex_);
  auto wait = std::chrono::ceil<std::chrono::seconds>(next_attempt_ - std::chrono::steady_clock::now());
  return std::max(wait, std::chrono::seconds(1));
}

void Runtime::shutdown() {
  // The server's on_shutdown hook and the destructor may both get here; once is enough.
  std::call_once(shutdown_once_, [this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (opener_.joinable()) opener_.join();
    // The opener has stopped, so service_ can no longer change.
    if (service_) service_->shutdown();
  });
}

bool Runtime::stopped_within(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  next_attempt_ = std::chrono::steady_clock::now() + delay;
  return wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void Runtime::open_until_ready() {
  std::chrono::milliseconds delay = settings_.open_retry_min;
  for (int attempt = 1;; ++attempt) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      storage::StoreOptions options;
      options.database_url = settings_.database_url;
      options.durability = storage::parse_durability(settings_.durability);
      options.pool_size = settings_.db_pool_size;
      auto stores = storage::open_stores(options);
      std::size_t pool_size = stores.size();
      core::ServiceOptions service_options;
      // A web worker never waits on an fsync or on a database server's round trips
      // (ServiceOptions::callers_run_batches): only an embedded engine in os mode.
      service_options.callers_run_batches = options.durability == storage::Durability::os &&
                                            storage::parse_database_url(options.database_url).engine !=
                                                storage::Engine::postgres;
      service_options.storage_observer = observer_;
      for (auto& store : stores) store->observe(observer_);
      auto service = std::make_shared<core::QueueService>(std::move(stores), clock_, service_options);
      service->start();
      bool published = false;
      {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
          service_ = service;
          state_ = "ready";
          published = true;
        }
      }
      if (!published) {  // shutdown() came while the store was opening: it cannot see this service
        service->shutdown();
        return;
      }
      if (settings_.kept_previous_default) {
        common::log::warn("queue_storage_previous_default",
                          {{"database", settings_.database_url},
                           {"note", "./data/queue.db exists, so Queue keeps using SQLite; set QUEUE_DATABASE_URL "
                                    "to choose (log:./data/queue is the default for new installations)"}});
      }
      common::log::info("queue_ready", {{"database", redacted_database_url(settings_.database_url)},
                                        {"durability", settings_.durability},
                                        {"pool_size", pool_size},
                                        {"attempt", attempt}});
      return;
    } catch (const std::exception& error) {
      {
        std::lock_guard lock(mutex_);
        state_ = "storage_unavailable";
      }
      common::log::warn("queue_storage_unavailable", {{"database", redacted_database_url(settings_.database_url)},
                                                      {"error", error.what()},
                                                      {"attempt", attempt},
                                                      {"retry_in_ms", delay.count()}});
    }
    if (stopped_within(delay)) return;
    delay = std::min(delay * 2, settings_.open_retry_max);
  }
}

}  // namespace queue::api
