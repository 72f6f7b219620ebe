#include "queue/storage/postgres/listener.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
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

Listener::Listener(std::string url, std::string channel, const std::atomic<int>& own_pid, Notify notify)
    : url_(std::move(url)), channel_(std::move(channel)), own_pid_(own_pid), notify_(std::move(notify)) {
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
        if (!heard_everything) notify_(core::ExternalChange{core::ExternalChange::Kind::unknown, 0});
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
      if (change && from != own_pid_.load(std::memory_order_relaxed)) notify_(*change);
    }
  }
}

}  // namespace queue::storage::postgres
