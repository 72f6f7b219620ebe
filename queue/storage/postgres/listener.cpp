#include "queue/storage/postgres/listener.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>

#include "common/log.h"
#include "queue/storage/postgres/session.h"

namespace queue::storage::postgres {
namespace {

constexpr std::chrono::milliseconds backoff_min{100};
constexpr std::chrono::milliseconds backoff_max{5'000};

// Waits until `fd` is readable or the wake pipe fires; false when stopping.
bool wait_readable(int fd, int wake_fd, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{wake_fd, POLLIN, 0}, {fd, POLLIN, 0}};
  int count = fd >= 0 ? 2 : 1;
  ::poll(fds, static_cast<nfds_t>(count), static_cast<int>(timeout.count()));
  return (fds[0].revents & POLLIN) == 0;
}

}  // namespace

Listener::Listener(std::string url, std::string channel, Deliver deliver)
    : url_(std::move(url)), channel_(std::move(channel)), deliver_(std::move(deliver)) {
  if (::pipe(wake_pipe_) != 0) throw std::runtime_error("pipe failed");
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  stopping_ = true;
  char byte = 1;
  [[maybe_unused]] auto written = ::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::optional<core::ExternalChange> Listener::parse(std::string_view payload) {
  if (payload.size() < 3 || payload[1] != ':') return std::nullopt;
  core::ExternalChange change;
  if (payload[0] == 'm') {
    change.kind = core::ExternalChange::Kind::messages;
  } else if (payload[0] == 'q') {
    change.kind = core::ExternalChange::Kind::queue;
  } else {
    return std::nullopt;
  }
  auto digits = payload.substr(2);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), change.queue_id);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return change;
}

void Listener::run() {
  std::optional<Session> session;
  auto backoff = backoff_min;
  bool heard_everything = true;  // nothing was missed before the first connection
  while (!stopping_) {
    if (!session || !session->connected()) {
      try {
        session.reset();
        session.emplace(url_);
        session->exec("LISTEN " + quote_identifier(channel_));
        backoff = backoff_min;
        if (!heard_everything) deliver_(core::ExternalChange{core::ExternalChange::Kind::unknown, 0}, 0);
        heard_everything = true;
      } catch (const std::exception& e) {
        session.reset();
        heard_everything = false;
        common::log::warn("queue_listener_disconnected", {{"error", e.what()}, {"retry_in_ms", backoff.count()}});
        if (!wait_readable(-1, wake_pipe_[0], backoff)) return;
        backoff = std::min(backoff * 2, backoff_max);
        continue;
      }
    }
    if (!wait_readable(session->socket(), wake_pipe_[0], std::chrono::seconds(5))) return;
    if (PQconsumeInput(session->handle()) == 0 || !session->connected()) {
      common::log::warn("queue_listener_disconnected", {{"error", PQerrorMessage(session->handle())}});
      session.reset();
      heard_everything = false;
      continue;
    }
    while (PGnotify* notification = PQnotifies(session->handle())) {
      int from = notification->be_pid;
      auto change = parse(notification->extra ? notification->extra : "");
      PQfreemem(notification);
      if (change) deliver_(*change, from);
    }
  }
}

ListenerHub::ListenerHub(std::string url, std::string channel)
    : listener_(std::make_unique<Listener>(std::move(url), std::move(channel),
                                           [this](const core::ExternalChange& change, int from_pid) {
                                             deliver(change, from_pid);
                                           })) {}

std::unique_ptr<ListenerHub::Subscription> ListenerHub::subscribe(const std::string& url, const std::string& channel,
                                                                  const std::atomic<int>& own_pid, Notify notify) {
  // Hubs by database and channel; a hub lives as long as a subscription holds it.
  static std::mutex registry_mutex;
  static std::map<std::pair<std::string, std::string>, std::weak_ptr<ListenerHub>> registry;
  std::shared_ptr<ListenerHub> hub;
  {
    std::lock_guard lock(registry_mutex);
    std::weak_ptr<ListenerHub>& entry = registry[{url, channel}];
    hub = entry.lock();
    if (!hub) {
      hub = std::make_shared<ListenerHub>(url, channel);
      entry = hub;
    }
  }
  std::lock_guard lock(hub->mutex_);
  std::uint64_t id = hub->next_id_++;
  hub->subscribers_.push_back({id, &own_pid, std::move(notify)});
  return std::make_unique<Subscription>(hub, id);
}

void ListenerHub::deliver(const core::ExternalChange& change, int from_pid) {
  std::lock_guard lock(mutex_);
  for (const Subscriber& subscriber : subscribers_) {
    if (from_pid != 0 && from_pid == subscriber.own_pid->load(std::memory_order_relaxed)) continue;
    subscriber.notify(change);
  }
}

void ListenerHub::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [id](const Subscriber& subscriber) { return subscriber.id == id; });
}

ListenerHub::Subscription::~Subscription() { hub_->unsubscribe(id_); }

}  // namespace queue::storage::postgres
