// Power loss at any point of the message log's life (issue: the log engine's
// correctness requirements). Each seeded case drives a LogStore the way the engine
// does (begin / savepoint per operation / commit, fsync durability, 2 MiB segments)
// over the simulated disk of faulty_file_system.h, cuts the power at a random call
// (so mostly in the middle of a commit, a segment roll, a compaction or a segment
// deletion), recovers a new LogStore from what the power loss left, and checks:
//
// - recovery never throws on a crash image;
// - every message whose send commit returned is there (receivable after a drain
//   that acks as it goes), unless something that may delete it ran (an ack, a
//   purge of the queue it was in, its queue's deletion, retention expiry);
// - no message whose ack commit returned ever comes back;
// - every body served is intact (it is a function of the message's test id, which
//   it carries), and no message is served twice;
// - a second power loss during or after recovery loses nothing either.
//
// Cases are seeded and deterministic: 2,750 of them (a quarter under a sanitizer).
// QUEUE_LOG_CRASH_SEED=<n> runs only seed n of each test; QUEUE_LOG_CRASH_CASES=<n>
// runs n seeds per test instead of the default; QUEUE_LOG_CRASH_TRACE=1 prints
// every step (with one seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/log.h"
#include "queue/storage/log/log_store.h"
#include "tests/log/faulty_file_system.h"
#include "tests/log/seeded_random.h"

namespace queue::storage::log {
namespace {

using testing::FaultyFileSystem;

constexpr char directory[] = "/data/log";
constexpr std::int64_t start_ms = 1'700'000'000'000;

// Seeds are spread first, so neighbouring case numbers start far apart.
class Random : public testing::SeededRandom {
 public:
  explicit Random(std::uint64_t seed) : SeededRandom(seed * 0x2545f4914f6cdd1dULL + 1) {}
};

// A body is a function of the test's id for the message: "m<uid>:<length>:" and
// filler chosen by uid, so any torn, stale or mixed-up body is seen.
std::string body_of(std::uint64_t uid, std::size_t length) {
  // The filler comes from one table of random letters (the test writes and reads
  // back a lot of bodies: generating each letter would dominate its run time).
  static const std::string letters = [] {
    Random random(42);
    std::string table(1 << 16, 'a');
    for (char& c : table) c = static_cast<char>('a' + random.below(26));
    return table;
  }();
  std::string body = "m" + std::to_string(uid) + ":" + std::to_string(length) + ":";
  std::size_t from = static_cast<std::size_t>((uid * 7919) % letters.size());
  while (body.size() < length) {
    std::size_t take = std::min(length - body.size(), letters.size() - from);
    body.append(letters, from, take);
    from = 0;
  }
  return body;
}

std::optional<std::uint64_t> uid_of(const std::string& body) {
  std::istringstream in(body);
  char m = 0, colon = 0;
  std::uint64_t uid = 0;
  std::size_t length = 0;
  if (!(in >> m >> uid >> colon >> length) || m != 'm' || colon != ':' || length > (1u << 20)) return std::nullopt;
  if (body != body_of(uid, length)) return std::nullopt;
  return uid;
}

struct Shape {
  int min_steps = 30;
  int max_steps = 100;
  int big_percent = 0;  // sends with bodies of 4..100 KiB, so segments roll
  bool transient_errors = false;
};

// What the test knows of a message.
struct Tracked {
  std::string queue;  // sent to
  std::size_t length = 0;
  std::string group;
  std::int64_t first_sent_ms = 0;
  bool sent = false;        // a send commit returned
  std::int64_t id = 0;      // the id it returned
  bool maybe_gone = false;  // something that may delete it ran (a purge, expiry, its queue's deletion)
  int acks_in_doubt = 0;    // acks sent whose outcome is not known (the power may go before their commit)
  bool acked = false;       // an ack commit returned: it must never come back
};

struct Lease {
  std::uint64_t uid = 0;
  std::int64_t id = 0;
  std::int64_t queue_id = 0;
  std::uint64_t token = 0;
};

// QUEUE_LOG_CRASH_TRACE=1: every step of the workload on stderr (with one seed).
bool tracing() {
  static const bool on = std::getenv("QUEUE_LOG_CRASH_TRACE") != nullptr;
  return on;
}

template <typename... Parts>
void trace(const Parts&... parts) {
  if (!tracing()) return;
  std::ostringstream line;
  (line << ... << parts);
  std::fprintf(stderr, "%s\n", line.str().c_str());
}

struct Failures {
  std::vector<std::string> list;
  void add(std::string what) {
    if (list.size() < 10) list.push_back(std::move(what));
  }
};

// Drives one store until the power is cut or the steps run out.
class Workload {
 public:
  Workload(std::uint64_t seed, const Shape& shape, FaultyFileSystem& files, Failures& failures)
      : random_(seed), shape_(shape), files_(files), failures_(failures) {}

  void run() {
    const int steps = shape_.min_steps + static_cast<int>(random_.below(shape_.max_steps - shape_.min_steps + 1));
    // About two fallible calls a step (a write and a sync); cut anywhere in that span.
    files_.cut_power_at(1 + random_.below(static_cast<std::uint64_t>(steps) * 3));
    if (shape_.transient_errors) {
      files_.fail_at(1 + random_.below(static_cast<std::uint64_t>(steps) * 2), random_.chance(50) ? EIO : ENOSPC);
    }
    LogOptions options;
    options.segment_bytes = min_segment_bytes;
    options.files = &files_;
    options.compaction_bytes_per_pass = random_.chance(50) ? (4u << 20) : (64u << 10);
    store_ = std::make_unique<LogStore>(directory, Durability::fsync, options);
    // Once the power is cut nothing the store does reaches the disk: the case ends
    // with the step in which it happened (whose commit, if it returned, returned
    // too late to count).
    for (int i = 0; i < steps && !files_.power_is_cut(); ++i) step();
    trace("power cut: ", files_.power_is_cut(), " after ", files_.calls(), " calls");
    store_.reset();
  }

  const std::map<std::uint64_t, Tracked>& messages() const { return messages_; }
  std::int64_t now() const { return now_; }

 private:
  using Op = std::function<void()>;
  // Runs once the transaction's commit returned.
  using After = std::function<void()>;

  void step() {
    now_ += static_cast<std::int64_t>(random_.below(1500));
    if (random_.chance(2)) now_ += 61'000;  // "short" messages pass retention; leases end
    int ops = random_.chance(30) ? 2 + static_cast<int>(random_.below(2)) : 1;
    bool durable = false;
    std::vector<After> after;
    std::vector<std::pair<Op, bool>> planned;
    for (int i = 0; i < ops; ++i) planned.push_back(plan(after));
    for (const auto& [op, is_durable] : planned) durable = durable || is_durable;
    trace("begin durable=", durable, " now=", now_, " calls=", files_.calls());
    store_->begin(durable);
    for (const auto& [op, is_durable] : planned) {
      store_->savepoint();
      try {
        op();
        store_->release_savepoint();
      } catch (const core::StoreError& e) {
        // A full disk or an injected I/O error: the op is undone, the others go on.
        if (e.code() != core::ErrorCode::unavailable) failures_.add(std::string("op failed: ") + e.what());
        trace("  op failed: ", e.what());
        store_->rollback_to_savepoint();
      }
    }
    try {
      store_->commit();
      if (files_.power_is_cut()) return;  // too late: the machine is off
      trace("commit returned");
      if (tracing()) {
        if (auto a = queue("a")) {
          std::string ids;
          for (const auto& m : store_->peek(a->id, core::PeekState::in_flight, 100, now_, std::nullopt)) ids += " " + std::to_string(m.id);
          trace("  a in flight:", ids);
          std::string paths;
          for (const std::string& path : files_.paths()) paths += " " + path.substr(path.rfind('/') + 1);
          trace("  segments in use ", store_->segment_count(), ", files", paths);
        }
      }
    } catch (const core::StoreError& e) {
      // As the engine does: roll back (again: a failed commit may have rolled back
      // itself) and answer unavailable. The index is rebuilt from the log; what this
      // batch did may or may not be in it. Leases are gone with the old index.
      if (e.code() != core::ErrorCode::unavailable) failures_.add(std::string("commit failed: ") + e.what());
      store_->rollback();
      leases_.clear();
      return;
    }
    for (const After& done : after) done();
  }

  std::optional<core::QueueRecord> queue(const std::string& name) { return store_->find_queue(name); }

  core::QueueRecord ensure(const std::string& name) {
    if (auto found = queue(name)) return *found;
    core::QueueAttributes attributes;
    if (name == "a") attributes.dead_letter = core::DeadLetterPolicy{"dlq", 2};
    if (name == "short") attributes.retention_s = 60;
    if (name == "f.fifo") attributes.fifo = true;
    return store_->create_queue(name, attributes, now_);
  }

  std::size_t body_length() {
    if (random_.chance(shape_.big_percent)) return 4096 + random_.below(100 << 10);
    return 16 + random_.below(300);
  }

  // One operation for the current transaction: what it does, and whether it is durable.
  std::pair<Op, bool> plan(std::vector<After>& after) {
    std::uint64_t pick = random_.below(100);
    if (pick < 35) return plan_send(after);
    if (pick < 60) return plan_receive();
    if (pick < 78) return plan_ack(after);
    if (pick < 82) return plan_visibility();
    if (pick < 86) return {[this] { redrive(); }, true};
    if (pick < 89) return plan_purge();
    if (pick < 96) return plan_expire();
    return plan_temp_queue();
  }

  std::pair<Op, bool> plan_send(std::vector<After>& after) {
    static const std::vector<std::string> targets{"a", "a", "short", "f.fifo", "f.fifo"};
    std::string name = targets[random_.below(targets.size())];
    if (!temp_.empty() && random_.chance(20)) name = temp_;
    const int count = 1 + static_cast<int>(random_.below(4));
    std::vector<std::uint64_t> uids;
    for (int i = 0; i < count; ++i) {
      // FIFO: sometimes the retry of an earlier send, with its dedup id.
      if (name == "f.fifo" && !fifo_uids_.empty() && random_.chance(20)) {
        std::uint64_t earlier = fifo_uids_[random_.below(fifo_uids_.size())];
        if (now_ - messages_[earlier].first_sent_ms < 200'000) {
          uids.push_back(earlier);
          continue;
        }
      }
      std::uint64_t uid = next_uid_++;
      Tracked& t = messages_[uid];
      t.queue = name;
      t.length = body_length();
      t.first_sent_ms = now_;
      if (name == "f.fifo") {
        t.group = "g" + std::to_string(random_.below(3));
        fifo_uids_.push_back(uid);
      }
      uids.push_back(uid);
    }
    Op op = [this, name, uids, &after] {
      core::QueueRecord q = ensure(name);
      std::vector<core::NewMessage> batch;
      for (std::uint64_t uid : uids) {
        const Tracked& t = messages_[uid];
        core::NewMessage m;
        m.body = body_of(uid, t.length);
        if (!t.group.empty()) {
          m.group_id = t.group;
          m.dedup_id = "d" + std::to_string(uid);
        }
        if (random_.chance(5)) m.attributes["k"] = "v" + std::to_string(uid);
        m.visible_at_ms = now_ + (random_.chance(15) ? static_cast<std::int64_t>(random_.below(10'000)) : 0);
        batch.push_back(std::move(m));
      }
      std::vector<std::int64_t> ids = store_->send(q, batch, now_);
      for (std::size_t i = 0; i < uids.size(); ++i) trace("  send m", uids[i], " to ", name, " id ", ids[i]);
      after.push_back([this, uids, ids] {
        for (std::size_t i = 0; i < uids.size(); ++i) {
          Tracked& t = messages_[uids[i]];
          if (t.sent && t.id != ids[i] && !t.maybe_gone) {
            failures_.add("a retry with the same dedup id got another id: m" + std::to_string(uids[i]));
          }
          if (!t.sent || !t.maybe_gone) {
            t.sent = true;
            t.id = ids[i];
          }
        }
      });
    };
    return {op, true};
  }

  // A delivered message: known, intact, never acked.
  void check_delivered(const core::LeasedMessage& m, std::int64_t queue_id) {
    auto uid = uid_of(m.body);
    if (!uid || !messages_.contains(*uid)) {
      failures_.add("a receive served a body no send wrote: " + m.body.substr(0, 40));
      return;
    }
    if (messages_[*uid].acked) failures_.add("a receive served an acked message: m" + std::to_string(*uid));
    leases_.push_back(Lease{*uid, m.id, queue_id, m.lease_token});
  }

  std::pair<Op, bool> plan_receive() {
    static const std::vector<std::string> sources{"a", "a", "dlq", "short", "f.fifo"};
    std::string name = sources[random_.below(sources.size())];
    int max = 1 + static_cast<int>(random_.below(5));
    bool zero_lease = random_.chance(10);
    Op op = [this, name, max, zero_lease] {
      auto q = queue(name);
      if (!q) return;
      core::LeaseRequest request;
      request.max = max;
      request.now_ms = now_;
      request.lease_until_ms = zero_lease ? now_ : now_ + 30'000;
      request.sent_after_ms = now_ - std::int64_t{q->attributes.retention_s} * 1000;
      if (q->attributes.dead_letter) {
        if (auto dlq = queue(q->attributes.dead_letter->queue)) {
          request.dead_letter = core::DeadLetterTarget{dlq->id, q->attributes.dead_letter->max_receives};
        }
      }
      core::LeaseOutcome outcome = store_->receive(*q, request, [this] { return ++tokens_; });
      for (const auto& m : outcome.delivered) check_delivered(m, q->id);
      trace("  receive ", name, " got ", outcome.delivered.size(), " dead-lettered ", outcome.dead_lettered,
            " lease until ", request.lease_until_ms);
      for (const auto& m : outcome.delivered) trace("    id ", m.id, " ", m.body.substr(0, 8), " count ", m.receive_count);
    };
    return {op, false};  // a receive commits relaxed, as the engine's do
  }

  std::pair<Op, bool> plan_ack(std::vector<After>& after) {
    std::vector<Lease> chosen;
    for (int i = 0; i < 3 && !leases_.empty(); ++i) {
      std::size_t at = random_.below(leases_.size());
      chosen.push_back(leases_[at]);
      leases_.erase(leases_.begin() + static_cast<std::ptrdiff_t>(at));
    }
    Op op = [this, chosen, &after] {
      std::map<std::int64_t, std::vector<Lease>> by_queue;
      for (const Lease& lease : chosen) by_queue[lease.queue_id].push_back(lease);
      for (const auto& [queue_id, leases] : by_queue) {
        std::vector<core::LeaseRef> refs;
        for (const Lease& lease : leases) {
          refs.push_back(core::LeaseRef{lease.id, lease.token});
          ++messages_[lease.uid].acks_in_doubt;  // before: the power may go at any time now
        }
        std::vector<bool> acked = store_->ack_many(queue_id, refs, now_);
        for (std::size_t i = 0; i < leases.size(); ++i) trace("  ack m", leases[i].uid, " id ", leases[i].id, " -> ", acked[i]);
        after.push_back([this, leases, acked] {
          for (std::size_t i = 0; i < leases.size(); ++i) {
            Tracked& t = messages_[leases[i].uid];
            --t.acks_in_doubt;  // known now: deleted, or (a stale lease) not
            if (acked[i]) t.acked = true;
          }
        });
      }
    };
    return {op, true};
  }

  std::pair<Op, bool> plan_visibility() {
    Op op = [this] {
      if (leases_.empty()) return;
      const Lease& lease = leases_[random_.below(leases_.size())];
      bool release = random_.chance(50);
      bool changed = store_->change_visibility(lease.queue_id, core::LeaseRef{lease.id, lease.token},
                                               release ? now_ : now_ + 60'000, now_);
      trace("  visibility m", lease.uid, release ? " released" : " extended", " -> ", changed);
    };
    return {op, false};
  }

  void redrive() {
    auto dlq = queue("dlq");
    if (dlq) trace("  redrive moved ", store_->redrive(*dlq, std::nullopt, 1 + static_cast<std::int64_t>(random_.below(5)), now_));
  }

  // Marks every message the live store shows in `q` as maybe gone (a purge or a
  // deletion is about to remove them); with more than a peek shows, every message
  // that may ever have been there.
  void doomed(const core::QueueRecord& q) {
    core::QueueStats stats = store_->stats(q.id, now_);
    const std::size_t limit = 100;
    bool complete = stats.visible < 100 && stats.in_flight < 100 && stats.delayed < 100;
    if (complete) {
      for (core::PeekState state : {core::PeekState::visible, core::PeekState::in_flight, core::PeekState::delayed}) {
        for (const auto& m : store_->peek(q.id, state, limit, now_, std::nullopt)) {
          if (auto uid = uid_of(m.body); uid && messages_.contains(*uid)) messages_[*uid].maybe_gone = true;
        }
      }
      return;
    }
    auto family = [](const std::string& name) { return name == "dlq" ? std::string("a") : name; };
    for (auto& [uid, t] : messages_) {
      if (family(t.queue) == family(q.name)) t.maybe_gone = true;
    }
  }

  std::pair<Op, bool> plan_purge() {
    static const std::vector<std::string> targets{"a", "dlq", "short", "f.fifo"};
    std::string name = targets[random_.below(targets.size())];
    Op op = [this, name] {
      auto q = queue(name);
      if (!q) return;
      doomed(*q);
      trace("  purge ", name, " removed ", store_->purge(q->id));
    };
    return {op, true};
  }

  std::pair<Op, bool> plan_expire() {
    std::int64_t limit = random_.chance(50) ? 3 : 1000;
    Op op = [this, limit] {
      // Only "short" has a retention the test's clock passes.
      for (auto& [uid, t] : messages_) {
        if (t.queue == "short" && t.first_sent_ms < now_ - 60'000) t.maybe_gone = true;
      }
      trace("  expire removed ", store_->expire(now_, limit));
    };
    return {op, false};  // the sweep commits relaxed, as the engine's does
  }

  std::pair<Op, bool> plan_temp_queue() {
    Op op = [this] {
      if (temp_.empty()) {
        temp_ = "t" + std::to_string(next_uid_);
        ensure(temp_);
        return;
      }
      std::string name = temp_;
      temp_.clear();
      auto q = queue(name);
      if (!q) return;
      doomed(*q);
      store_->delete_queue(q->id);
      trace("  delete queue ", name);
    };
    return {op, true};
  }

  Random random_;
  Shape shape_;
  FaultyFileSystem& files_;
  Failures& failures_;
  std::unique_ptr<LogStore> store_;
  std::int64_t now_ = start_ms;
  std::uint64_t next_uid_ = 1;
  std::uint64_t tokens_ = 0;
  std::map<std::uint64_t, Tracked> messages_;
  std::vector<std::uint64_t> fifo_uids_;
  std::vector<Lease> leases_;
  std::string temp_;
};

void trace_files(const char* what, const FaultyFileSystem& files) {
  if (!tracing()) return;
  for (const std::string& path : files.paths()) {
    std::string content = *files.file_content(path);
    std::size_t end = content.find_last_not_of('\0');
    trace(what, ": ", path, " size ", content.size(), " written up to ", end == std::string::npos ? 0 : end + 1);
  }
}

LogOptions options_on(FaultyFileSystem& files) {
  LogOptions options;
  options.segment_bytes = min_segment_bytes;
  options.files = &files;
  return options;
}

// Opens the log on `image`, drains every queue (receiving and acking until empty)
// and checks what came out against what the workload knows.
void check_recovered(FaultyFileSystem& image, const Workload& workload, Failures& failures) {
  std::unique_ptr<LogStore> store;
  try {
    store = std::make_unique<LogStore>(directory, Durability::fsync, options_on(image));
  } catch (const std::exception& e) {
    failures.add(std::string("recovery threw: ") + e.what());
    return;
  }
  if (tracing()) {
    trace_files("image", image);
    trace("recovered: ", store->segment_count(), " segments, ", store->message_count(), " messages");
  }
  const auto& messages = workload.messages();
  // Past every delay; leases from before the crash do not survive it anyway.
  const std::int64_t now = workload.now() + 3'600'000;
  std::set<std::uint64_t> seen;
  std::uint64_t tokens = 0;
  for (const std::string& name : store->list_queues("", "", 1000)) {
    core::QueueRecord q = *store->find_queue(name);
    for (int round = 0;; ++round) {
      if (round > 10'000) {
        failures.add("draining " + name + " does not end");
        return;
      }
      core::LeaseRequest request;
      request.max = 100;
      request.now_ms = now;
      request.lease_until_ms = now + 3'600'000;
      store->begin(false);
      core::LeaseOutcome outcome = store->receive(q, request, [&] { return ++tokens; });
      store->commit();
      if (outcome.delivered.empty()) break;
      std::vector<core::LeaseRef> refs;
      for (const auto& m : outcome.delivered) {
        refs.push_back(core::LeaseRef{m.id, m.lease_token});
        auto uid = uid_of(m.body);
        if (!uid || !messages.contains(*uid)) {
          failures.add("recovered a body no send wrote, or a corrupt one, in " + name + ": " + m.body.substr(0, 40));
          continue;
        }
        const Tracked& t = messages.at(*uid);
        if (t.acked) failures.add("an acked message came back: m" + std::to_string(*uid));
        if (!seen.insert(*uid).second) failures.add("served twice: m" + std::to_string(*uid));
        if (t.sent && !t.maybe_gone && t.id != m.id) {
          failures.add("m" + std::to_string(*uid) + " came back under another id");
        }
      }
      store->begin(true);
      std::vector<bool> acked = store->ack_many(q.id, refs, now);
      store->commit();
      if (std::count(acked.begin(), acked.end(), true) != static_cast<std::ptrdiff_t>(refs.size())) {
        failures.add("a fresh lease could not be acked in " + name);
      }
    }
    core::QueueStats stats = store->stats(q.id, now);
    if (stats.visible + stats.in_flight + stats.delayed != 0) failures.add(name + " is not empty after the drain");
  }
  for (const auto& [uid, t] : messages) {
    if (t.sent && !t.maybe_gone && t.acks_in_doubt == 0 && !t.acked && !seen.contains(uid)) {
      failures.add("lost m" + std::to_string(uid) + " (sent to " + t.queue + ", " + std::to_string(t.length) +
                   " bytes)");
    }
  }
}

// Under a sanitizer every recovery's reading of 2 MiB segments costs ~40 times as
// much (fresh mappings for each large buffer): every fourth seed only, so the suite
// stays well under a minute there too.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::uint64_t seed_stride = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr std::uint64_t seed_stride = 4;
#else
constexpr std::uint64_t seed_stride = 1;
#endif
#else
constexpr std::uint64_t seed_stride = 1;
#endif

std::optional<std::uint64_t> env_number(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::strtoull(value, nullptr, 10);
}

void run_cases(const Shape& shape, std::uint64_t first_seed, std::uint64_t default_cases) {
  common::log::init(common::log::Level::error);  // torn tails are expected here: no warnings
  std::vector<std::uint64_t> seeds;
  if (auto only = env_number("QUEUE_LOG_CRASH_SEED")) {
    seeds.push_back(*only);
  } else {
    std::uint64_t cases = env_number("QUEUE_LOG_CRASH_CASES").value_or(default_cases);
    for (std::uint64_t i = 0; i < cases; i += seed_stride) seeds.push_back(first_seed + i);
  }
  int cut_in_recovery = 0;
  for (std::uint64_t seed : seeds) {
    Failures failures;
    FaultyFileSystem files;
    Workload workload(seed, shape, files, failures);
    workload.run();
    Random random(seed ^ 0xc0ffee);
    trace_files("before the crash", files);
    std::unique_ptr<FaultyFileSystem> image = files.crash(random.next());
    trace_files("crash image", *image);
    if (random.chance(50)) {
      trace("recovering twice");
      // A second power loss: during recovery (its cut of a torn tail, its removal
      // of empty segments) or right after it, before anything was synced again.
      image->cut_power_at(1 + random.below(8));
      try {
        LogStore first(directory, Durability::fsync, options_on(*image));
      } catch (const std::exception& e) {
        failures.add(std::string("recovery threw: ") + e.what());
      }
      if (image->power_is_cut()) ++cut_in_recovery;
      image = image->crash(random.next());
    }
    check_recovered(*image, workload, failures);
    if (!failures.list.empty()) {
      std::string report;
      for (const std::string& failure : failures.list) report += "\n  " + failure;
      ADD_FAILURE() << "seed " << seed << " (rerun: QUEUE_LOG_CRASH_SEED=" << seed << "):" << report;
      return;  // one failing seed is enough to read
    }
  }
  // The cases must actually reach recovery's own writes sometimes.
  if (seeds.size() > 100) {
    EXPECT_GT(cut_in_recovery, 0);
  }
}

TEST(PowerLoss, SmallMessages) { run_cases(Shape{30, 100, 0, false}, 1, 2000); }

TEST(PowerLoss, LargeMessagesRollAndCompactSegments) { run_cases(Shape{60, 160, 30, false}, 100'000, 150); }

TEST(PowerLoss, TransientErrorsBeforeThePowerGoes) { run_cases(Shape{30, 100, 5, true}, 200'000, 600); }

}  // namespace
}  // namespace queue::storage::log
