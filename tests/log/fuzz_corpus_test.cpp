// Writes the seed corpus of fuzz_log_recovery (tests/fuzz/corpus/log_recovery):
// real segments from small workloads, in both input modes of
// tests/fuzz/log_recovery_input.h. Disabled: run it by hand when the log's format
// changes, then commit the files:
//
//   QUEUE_LOG_FUZZ_CORPUS=tests/fuzz/corpus/log_recovery build/tests/log/log_storage_tests
//     --gtest_also_run_disabled_tests --gtest_filter='LogFuzzCorpus.*'
//
// The enabled test checks that the generated inputs give back the segments they
// came from, so the corpus exercises what it claims to.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "queue/storage/log/log_store.h"
#include "tests/fuzz/log_recovery_input.h"
#include "tests/log/faulty_file_system.h"

namespace queue::storage::log {
namespace {

using testing::FaultyFileSystem;

constexpr char directory[] = "/seed";
constexpr std::int64_t now = 1'700'000'000'000;

core::NewMessage message(std::string body, std::optional<std::string> group = {},
                         std::optional<std::string> dedup = {}) {
  core::NewMessage m;
  m.body = std::move(body);
  m.group_id = std::move(group);
  m.dedup_id = std::move(dedup);
  m.visible_at_ms = now;
  return m;
}

std::uint64_t next_token = 0;
core::LeaseOutcome receive(LogStore& store, const core::QueueRecord& q, int max,
                           std::optional<core::DeadLetterTarget> dead_letter = {}) {
  core::LeaseRequest request;
  request.max = max;
  request.now_ms = now;
  request.lease_until_ms = now + 30'000;
  request.dead_letter = dead_letter;
  return store.receive(q, request, [] { return ++next_token; });
}

// Runs `workload` in one transaction per call of `step`, returns the first
// segment's records (without the preallocated zeros after them).
std::string segment_after(const std::function<void(LogStore&, const std::function<void(std::function<void()>)>&)>& workload) {
  FaultyFileSystem files;
  LogOptions options;
  options.segment_bytes = min_segment_bytes;
  options.files = &files;
  {
    LogStore store(directory, Durability::fsync, options);
    auto step = [&](const std::function<void()>& op) {
      store.begin(true);
      op();
      store.commit();
    };
    workload(store, step);
  }
  std::string bytes = files.file_content(std::string(directory) + "/00000001.seg").value();
  // Up to the end of the last record (a record may end in zero bytes itself).
  std::size_t end = 0;
  Framed framed;
  while (parse_frame(std::string_view(bytes).substr(end), bytes.size(), framed) == FrameStatus::ok) end += framed.size;
  bytes.resize(end);
  return bytes;
}

struct Seed {
  std::string name;
  std::vector<std::string> segments;
};

std::vector<Seed> seeds() {
  std::vector<Seed> out;
  out.push_back({"standard", {segment_after([](LogStore& store, const auto& step) {
                   core::QueueRecord q;
                   step([&] { q = store.create_queue("orders", {}, now); });
                   step([&] {
                     core::NewMessage m = message("first");
                     m.attributes = {{"trace", "abc"}, {"kind", "order"}};
                     std::vector<core::NewMessage> batch{m, message("second"), message("third")};
                     store.send(q, batch, now);
                   });
                   step([&] {
                     auto got = receive(store, q, 2);
                     std::vector<core::LeaseRef> refs{{got.delivered[0].id, got.delivered[0].lease_token}};
                     store.ack_many(q.id, refs, now);
                   });
                   step([&] {
                     core::QueueAttributes changed;
                     changed.retention_s = 600;
                     store.update_queue(q.id, changed);
                   });
                 })}});
  out.push_back({"fifo_dedup", {segment_after([](LogStore& store, const auto& step) {
                   core::QueueAttributes attributes;
                   attributes.fifo = true;
                   core::QueueRecord q;
                   step([&] { q = store.create_queue("jobs.fifo", attributes, now); });
                   step([&] {
                     std::vector<core::NewMessage> batch{message("a1", "a", "d1"), message("a2", "a", "d2"),
                                                         message("b1", "b", "d3"), message("a1 again", "a", "d1")};
                     store.send(q, batch, now);
                   });
                   step([&] {
                     auto got = receive(store, q, 10);
                     std::vector<core::LeaseRef> refs;
                     for (const auto& m : got.delivered) refs.push_back({m.id, m.lease_token});
                     store.ack_many(q.id, refs, now);
                   });
                   step([&] { receive(store, q, 10); });
                   step([&] { store.expire(now + 400'000, 100); });  // past the dedup window
                 })}});
  out.push_back({"dead_letter", {segment_after([](LogStore& store, const auto& step) {
                   core::QueueRecord dlq, q, temp;
                   step([&] { dlq = store.create_queue("dlq", {}, now); });
                   step([&] {
                     core::QueueAttributes attributes;
                     attributes.dead_letter = core::DeadLetterPolicy{"dlq", 1};
                     q = store.create_queue("work", attributes, now);
                   });
                   step([&] {
                     std::vector<core::NewMessage> batch{message("x"), message("y")};
                     store.send(q, batch, now);
                   });
                   step([&] { receive(store, q, 2); });
                   step([&] {
                     // Leases lapse; the next delivery would be the second: dead-lettered.
                     core::LeaseRequest request;
                     request.max = 2;
                     request.now_ms = now + 60'000;
                     request.lease_until_ms = now + 90'000;
                     request.dead_letter = core::DeadLetterTarget{dlq.id, 1};
                     store.receive(q, request, [] { return ++next_token; });
                   });
                   step([&] { store.redrive(dlq, std::nullopt, 1, now + 60'000); });
                   step([&] { store.purge(dlq.id); });
                   step([&] { temp = store.create_queue("temp", {}, now); });
                   step([&] {
                     std::vector<core::NewMessage> batch{message("gone")};
                     store.send(temp, batch, now);
                   });
                   step([&] { store.delete_queue(temp.id); });
                   step([&] { temp = store.create_queue("temp", {}, now); });
                 })}});
  // As compaction leaves it: the segment that held a queue's records is gone, their
  // copy (the queue's current state) lies after its messages, in a later segment.
  {
    const Seed& standard = out.front();
    std::string first = standard.segments.front();
    std::string_view rest(first);
    Framed framed;
    std::string queue_put, others = fuzzing::segment_header(1);
    parse_frame(rest, first.size(), framed);
    rest.remove_prefix(framed.size);
    while (!rest.empty() && parse_frame(rest, first.size(), framed) == FrameStatus::ok) {
      std::string_view whole = rest.substr(0, framed.size);
      if (framed.type == RecordType::queue_put) {
        queue_put = std::string(whole);  // the latest: what compaction copies
      } else {
        others.append(whole);
      }
      rest.remove_prefix(framed.size);
    }
    out.push_back({"queue_record_copied_forward", {others, fuzzing::segment_header(2) + queue_put}});
  }
  return out;
}

TEST(LogFuzzCorpus, InputsGiveBackTheirSegments) {
  for (const Seed& seed : seeds()) {
    std::string raw = std::string(1, static_cast<char>(2 * (seed.segments.size() - 1))) + seed.segments.front();
    if (seed.segments.size() == 1) {
      EXPECT_EQ(fuzzing::segments_from_input(raw), seed.segments) << seed.name;
    }
    EXPECT_EQ(fuzzing::segments_from_input(fuzzing::structured_input(seed.segments)), seed.segments) << seed.name;
    for (const std::string& segment : seed.segments) EXPECT_LT(segment.size(), 64u << 10) << seed.name;
  }
}

TEST(LogFuzzCorpus, ASegmentWhoseQueueRecordComesLaterRecoversItsMessages) {
  // The compaction case above, recovered: the messages before the queue's record count.
  const Seed compacted = seeds().back();
  FaultyFileSystem files;
  files.put_file(std::string(directory) + "/00000001.seg", compacted.segments[0]);
  files.put_file(std::string(directory) + "/00000002.seg", compacted.segments[1]);
  LogOptions options;
  options.segment_bytes = min_segment_bytes;
  options.files = &files;
  LogStore store(directory, Durability::fsync, options);
  auto q = store.find_queue("orders");
  ASSERT_TRUE(q);
  // "first" was acked; "second" and "third" were sent before the queue's record,
  // which is now in segment 2.
  EXPECT_EQ(store.stats(q->id, now).visible, 2);
  EXPECT_EQ(store.message_count(), 2u);
  EXPECT_EQ(q->attributes.retention_s, 600);
}

TEST(LogFuzzCorpus, DISABLED_WriteSeeds) {
  const char* target = std::getenv("QUEUE_LOG_FUZZ_CORPUS");
  ASSERT_NE(target, nullptr) << "set QUEUE_LOG_FUZZ_CORPUS to the corpus directory";
  for (const Seed& seed : seeds()) {
    std::string raw(1, static_cast<char>(0));
    for (const std::string& segment : seed.segments) raw += segment;
    if (seed.segments.size() == 1) std::ofstream(std::string(target) + "/raw_" + seed.name, std::ios::binary) << raw;
    std::ofstream(std::string(target) + "/structured_" + seed.name, std::ios::binary)
        << fuzzing::structured_input(seed.segments);
  }
}

}  // namespace
}  // namespace queue::storage::log
