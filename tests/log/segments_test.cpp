// Segments (queue/storage/log/segments.h): appending, rolling to a new segment,
// undoing a transaction's appends (rollback_to a mark), reading records that are
// still pending, and what reaches the files at commit.
#include <gtest/gtest.h>

#include <string>

#include "queue/storage/log/record.h"
#include "queue/storage/log/segments.h"
#include "tests/log/faulty_file_system.h"

namespace queue::storage::log {
namespace {

using testing::FaultyFileSystem;

constexpr std::uint64_t segment_bytes = 2u << 20;

std::string remove_record(std::uint64_t id, std::size_t padding_ids = 0) {
  std::vector<std::uint64_t> ids(1 + padding_ids, id);
  std::string bytes;
  encode_ids(RecordType::remove, ids, bytes);
  return bytes;
}

std::size_t header_bytes() {
  std::string bytes;
  encode_segment_start(1, bytes);
  return bytes.size();
}

class SegmentsTest : public ::testing::Test {
 protected:
  SegmentsTest() : segments(files, "/log", segment_bytes) {
    files.create_directories("/log");
    EXPECT_TRUE(segments.existing().empty());
    segments.open_for_append(std::nullopt, 0, {}, {});
  }
  // The ids of the remove records in `segment`'s file, in order, after its header.
  std::vector<std::uint64_t> ids_on_disk(std::uint32_t segment) {
    std::string bytes(segments.read_all(segment).view());
    std::vector<std::uint64_t> out;
    Framed framed;
    std::string_view rest(bytes);
    EXPECT_EQ(parse_frame(rest, segment_bytes, framed), FrameStatus::ok);
    EXPECT_EQ(framed.type, RecordType::segment_start);
    EXPECT_EQ(decode_segment_start(framed.payload), segment);
    rest.remove_prefix(framed.size);
    while (parse_frame(rest, segment_bytes, framed) == FrameStatus::ok) {
      out.push_back(decode_ids(framed.payload)->front());
      rest.remove_prefix(framed.size);
    }
    return out;
  }

  FaultyFileSystem files;
  Segments segments;
};

TEST_F(SegmentsTest, AppendsAfterTheHeaderAndReadsPendingRecordsBeforeTheCommit) {
  ASSERT_TRUE(segments.make_room(100, 0));
  std::string record = remove_record(7);
  Location at = segments.append(record);
  EXPECT_EQ(at.segment, 1u);
  EXPECT_EQ(at.offset, header_bytes());
  EXPECT_EQ(at.length, record.size());
  EXPECT_EQ(segments.read(at), record);  // from the pending writes
  EXPECT_EQ(segments.pending_bytes(), header_bytes() + record.size());
  EXPECT_EQ(segments.read_all(1).view(), std::string(segment_bytes, '\0'));  // nothing written yet
  segments.commit(true);
  EXPECT_EQ(segments.pending_bytes(), 0u);
  EXPECT_EQ(segments.read(at), record);  // from the file
  EXPECT_EQ(ids_on_disk(1), std::vector<std::uint64_t>{7});
  // Durable: a crash right now keeps it.
  auto image = files.crash(1);
  Segments after(*image, "/log", segment_bytes);
  EXPECT_EQ(after.existing(), std::vector<std::uint32_t>{1});
  EXPECT_EQ(after.read_all(1).view().substr(at.offset, at.length), record);
}

TEST_F(SegmentsTest, RollsToANewSegmentWhenARecordDoesNotFit) {
  std::string big = remove_record(1, 100'000);  // ~800 KB
  ASSERT_TRUE(segments.make_room(3 * big.size(), 0));
  Location first = segments.append(big);
  Location second = segments.append(remove_record(2, 100'000));
  Location third = segments.append(remove_record(3, 100'000));  // does not fit in segment 1
  EXPECT_EQ(first.segment, 1u);
  EXPECT_EQ(second.segment, 1u);
  EXPECT_EQ(third.segment, 2u);
  EXPECT_EQ(third.offset, header_bytes());
  EXPECT_EQ(segments.current(), 2u);
  EXPECT_EQ(segments.in_use(), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(segments.read(third).size(), big.size());
  segments.commit(true);
  EXPECT_EQ(ids_on_disk(1), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(ids_on_disk(2), (std::vector<std::uint64_t>{3}));
  // Too big for any segment: refused, not split.
  EXPECT_THROW(segments.append(std::string(segment_bytes, 'x')), std::system_error);
}

TEST_F(SegmentsTest, RollbackToAMarkUndoesAppendsAndRollsAndKeepsTheSegmentAsASpare) {
  ASSERT_TRUE(segments.make_room(100, 0));
  segments.append(remove_record(1));
  segments.commit(true);
  const std::uint64_t free_before = segments.free_allocated();

  ASSERT_TRUE(segments.make_room(3u << 20, 0));  // allocates spares for the rolls below
  Segments::Mark mark = segments.mark();
  segments.append(remove_record(2));
  segments.append(remove_record(3, 150'000));  // ~1.2 MB
  Location rolled = segments.append(remove_record(4, 150'000));
  EXPECT_EQ(rolled.segment, 2u);
  segments.rollback_to(mark);
  EXPECT_EQ(segments.current(), 1u);
  EXPECT_EQ(segments.in_use(), std::vector<std::uint32_t>{1});
  EXPECT_EQ(segments.pending_bytes(), 0u);
  EXPECT_GE(segments.free_allocated(), free_before);

  // Half a transaction: kept up to the savepoint, in the same segment.
  segments.append(remove_record(5));
  Segments::Mark savepoint = segments.mark();
  segments.append(remove_record(6));
  segments.rollback_to(savepoint);
  Location next = segments.append(remove_record(7));
  segments.commit(true);
  EXPECT_EQ(next.segment, 1u);
  EXPECT_EQ(ids_on_disk(1), (std::vector<std::uint64_t>{1, 5, 7}));
  // The segment rolled onto and given back is the next one used (numbers stay in order).
  EXPECT_EQ(segments.append(remove_record(8, 200'000)).segment, 1u);
  Location again = segments.append(remove_record(9, 200'000));
  EXPECT_EQ(again.segment, 2u);
  segments.commit(true);
  EXPECT_EQ(ids_on_disk(2), std::vector<std::uint64_t>{9});
}

TEST_F(SegmentsTest, MakeRoomSaysNoWhenTheDiskIsFullAndRemovingASegmentFreesIt) {
  files.set_capacity(5u << 20);  // two segments fit, a third does not
  ASSERT_TRUE(segments.make_room(100, 0));
  segments.append(remove_record(1, 200'000));
  segments.append(remove_record(2, 200'000));  // rolls to segment 2
  segments.commit(true);
  EXPECT_EQ(segments.in_use(), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_FALSE(segments.make_room(segment_bytes / 2, 0));  // needs a third segment
  EXPECT_TRUE(segments.make_room(1000, 0));  // what is left of segment 2 is enough
  segments.remove(1);
  EXPECT_EQ(segments.in_use(), std::vector<std::uint32_t>{2});
  EXPECT_TRUE(segments.make_room(segment_bytes / 2, 0));  // a new spare fits now
  segments.remove(2);                                   // the current segment is never removed
  EXPECT_EQ(segments.in_use(), std::vector<std::uint32_t>{2});
}

}  // namespace
}  // namespace queue::storage::log

namespace queue::storage::log {
namespace {

// store.h promises that a durable commit flushes everything before it. A relaxed
// commit (a receive's dead-letter move, a sweep) may leave the current segment's tail
// unsynced; if the next durable commit rolls on to a new segment, syncing only that
// one would leave the earlier tail to a power loss.
TEST_F(SegmentsTest, ADurableCommitSyncsWhatRelaxedCommitsLeftInAnEarlierSegment) {
  const Location relaxed = segments.append(remove_record(7));
  segments.append(remove_record(8, 200'000));  // 1.6 MB: most of segment 1
  segments.commit(/*sync=*/false);
  const Location durable = segments.append(remove_record(9, 200'000));  // does not fit: segment 2
  ASSERT_EQ(durable.segment, relaxed.segment + 1);
  segments.commit(/*sync=*/true);
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    auto after = files.crash(seed);
    Segments reopened(*after, "/log", segment_bytes);
    ASSERT_EQ(reopened.existing().size(), 2u) << "seed " << seed;
    std::string bytes(reopened.read_all(relaxed.segment).view());
    EXPECT_EQ(bytes.substr(relaxed.offset, relaxed.length), remove_record(7)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace queue::storage::log
