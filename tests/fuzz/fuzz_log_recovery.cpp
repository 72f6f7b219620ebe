// The message log's recovery (queue/storage/log) on whatever the disk holds: the
// input becomes segment files on a simulated disk (log_recovery_input.h: raw bytes,
// or records with correct checksums and fuzzed payloads), a LogStore opens them and
// everything it recovered is looked at, received, acked and swept, then the log is
// opened once more. Recovery must never crash, hang, throw or corrupt its memory,
// and a message it serves must be one its log holds (never a record that fails its
// checksum: `internal` errors are a broken invariant).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "queue/storage/log/log_store.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/log_recovery_input.h"
#include "tests/log/faulty_file_system.h"

namespace {

using namespace queue::storage::log;
using queue::storage::Durability;

constexpr char directory[] = "/fuzz/log";
constexpr std::int64_t now_ms = 1'700'000'000'000;

std::string segment_path(std::size_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "%s/%08zx.seg", directory, number);
  return name;
}

LogOptions options_on(testing::FaultyFileSystem& files) {
  LogOptions options;
  options.segment_bytes = min_segment_bytes;
  options.files = &files;
  options.compaction_bytes_per_pass = 64 << 10;
  return options;
}

// A store error is fine when it says "try again" (a full or failing disk); internal
// means the store served or met a record it should never have accepted.
template <typename Action>
void guarded(Action&& action) {
  try {
    action();
  } catch (const queue::core::StoreError& e) {
    fuzz::require(e.code() != queue::core::ErrorCode::internal, std::string("internal store error: ") + e.what());
  }
}

// Looks at every queue, then drains a bounded amount, acking, then sweeps.
void exercise(LogStore& store) {
  std::uint64_t tokens = 0;
  for (const std::string& name : store.list_queues("", "", 1000)) {
    auto queue = store.find_queue(name);
    fuzz::require(queue.has_value(), "a listed queue is not found: " + name);
    guarded([&] {
      store.begin(false);
      store.stats(queue->id, now_ms);
      for (auto state : {queue::core::PeekState::visible, queue::core::PeekState::in_flight,
                         queue::core::PeekState::delayed}) {
        for (const auto& message : store.peek(queue->id, state, 100, now_ms, std::nullopt)) {
          fuzz::require(store.find_message(queue->id, message.id, now_ms).has_value(),
                        "a peeked message is not found by its id");
        }
      }
      store.next_visible_at(queue->id, now_ms);
      store.commit();
    });
    for (int round = 0; round < 20; ++round) {
      bool empty = true;
      guarded([&] {
        queue::core::LeaseRequest request;
        request.max = 100;
        request.now_ms = now_ms;
        request.lease_until_ms = now_ms + 30'000;
        store.begin(false);
        auto outcome = store.receive(*queue, request, [&] { return ++tokens; });
        store.commit();
        empty = outcome.delivered.empty();
        std::vector<queue::core::LeaseRef> refs;
        for (const auto& m : outcome.delivered) refs.push_back({m.id, m.lease_token});
        store.begin(true);
        auto acked = store.ack_many(queue->id, refs, now_ms);
        store.commit();
        for (bool ok : acked) fuzz::require(ok, "a fresh lease could not be acked");
      });
      if (empty) break;
    }
  }
  guarded([&] {
    store.begin(false);
    store.expire(now_ms + 30LL * 24 * 3600 * 1000, 10'000);  // past every retention
    store.commit();
  });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  common::log::init(common::log::Level::error);  // torn tails are what this feeds it
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> segments = fuzzing::segments_from_input(fuzz::as_text(data, size));
  testing::FaultyFileSystem files;
  files.create_directories(directory);
  for (std::size_t i = 0; i < segments.size(); ++i) files.put_file(segment_path(i + 1), segments[i]);
  try {
    {
      LogStore store(directory, Durability::fsync, options_on(files));
      exercise(store);
    }
    // What the first store wrote (cut tails, acks, compaction) must open again.
    auto after = files.synced_copy();
    LogStore again(directory, Durability::fsync, options_on(*after));
    for (const std::string& name : again.list_queues("", "", 1000)) {
      auto queue = again.find_queue(name);
      fuzz::require(queue.has_value(), "a listed queue is not found after reopening: " + name);
      guarded([&] { again.stats(queue->id, now_ms); });
    }
  } catch (const std::runtime_error& e) {
    fuzz::require(false, std::string("opening the log threw: ") + e.what());
  }
  return 0;
}
