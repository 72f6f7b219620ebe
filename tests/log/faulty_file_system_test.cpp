// The simulated disk itself: the crash tests are only as good as its model of what
// survives a power loss, so the model's promises are checked here first.
#include <gtest/gtest.h>

#include <cerrno>
#include <set>
#include <system_error>

#include "tests/log/faulty_file_system.h"

namespace queue::storage::log::testing {
namespace {

// Every crash image of `files` for seeds 0..199: the distinct contents of `path`
// ("<absent>" when the file is gone).
std::set<std::string> outcomes(const FaultyFileSystem& files, const std::string& path) {
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    seen.insert(files.crash(seed)->file_content(path).value_or("<absent>"));
  }
  return seen;
}

TEST(FaultyFileSystem, SyncedDataAndEntriesSurviveEveryCrash) {
  FaultyFileSystem files;
  files.create_directories("/d");
  auto file = files.open("/d/a", true);
  file->write_at("hello", 0);
  file->sync_data();
  files.sync_directory("/d");
  EXPECT_EQ(outcomes(files, "/d/a"), std::set<std::string>{"hello"});
}

TEST(FaultyFileSystem, AnUnsyncedCreateMayBeLostAndAnUnsyncedWriteTornButNeverReordered) {
  FaultyFileSystem files;
  files.create_directories("/d");
  auto unlisted = files.open("/d/new", true);
  unlisted->write_at("x", 0);
  unlisted->sync_data();
  EXPECT_EQ(outcomes(files, "/d/new"), std::set<std::string>{"<absent>"});  // its entry was never synced

  auto file = files.open("/d/a", true);
  files.sync_directory("/d");
  file->write_at("ab", 0);
  file->write_at("cd", 2);
  std::set<std::string> seen = outcomes(files, "/d/a");
  // Whole writes in order, possibly the next one torn (a prefix, or some sectors).
  EXPECT_TRUE(seen.contains(""));
  EXPECT_TRUE(seen.contains("ab"));
  EXPECT_TRUE(seen.contains("abcd"));
  EXPECT_TRUE(seen.contains("a"));
  for (const std::string& content : seen) EXPECT_TRUE(std::string("abcd").starts_with(content)) << content;
}

TEST(FaultyFileSystem, AnUnsyncedRemoveMayBeUndoneWithTheDurableContent) {
  FaultyFileSystem files;
  files.create_directories("/d");
  auto file = files.open("/d/a", true);
  file->write_at("old", 0);
  file->sync_data();
  files.sync_directory("/d");
  file->write_at("NEW", 0);  // never synced
  files.remove("/d/a");
  EXPECT_FALSE(files.file_content("/d/a"));
  std::set<std::string> seen = outcomes(files, "/d/a");
  EXPECT_TRUE(seen.contains("old"));
  files.sync_directory("/d");
  EXPECT_EQ(outcomes(files, "/d/a"), std::set<std::string>{"<absent>"});
}

TEST(FaultyFileSystem, AllocatedSpaceReadsAsZerosAndCountsAgainstTheCapacity) {
  FaultyFileSystem files;
  files.create_directories("/d");
  files.set_capacity(3u << 20);
  auto a = files.open("/d/a", true);
  a->allocate(2u << 20);
  a->write_at("xy", 10);
  EXPECT_EQ(a->size(), 2u << 20);
  char buffer[16];
  ASSERT_EQ(a->read_at(buffer, sizeof buffer, 4), sizeof buffer);
  EXPECT_EQ(std::string(buffer, 6), std::string(6, '\0'));
  EXPECT_EQ(std::string(buffer + 6, 2), "xy");
  auto b = files.open("/d/b", true);
  try {
    b->allocate(2u << 20);
    FAIL() << "allocated past the capacity";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOSPC);
  }
  EXPECT_EQ(b->size(), 0u);  // a failed allocate changes nothing
  files.remove("/d/a");      // frees its space
  b->allocate(2u << 20);
  EXPECT_EQ(files.used_bytes(), 2u << 20);
}

TEST(FaultyFileSystem, NothingFromThePowerCutOnReachesTheDiskAndTransientFaultsFailOneCall) {
  FaultyFileSystem files;
  files.create_directories("/d");
  auto file = files.open("/d/a", true);  // call 1
  files.sync_directory("/d");
  files.fail_at(1, EIO);
  EXPECT_THROW(file->write_at("a", 0), std::system_error);
  file->write_at("b", 0);  // the fault was transient
  files.cut_power_at(2);
  file->sync_data();
  EXPECT_FALSE(files.power_is_cut());
  file->write_at("c", 1);  // the cut: the process goes on, the disk never sees it
  file->sync_data();
  auto later = files.open("/d/later", true);
  files.sync_directory("/d");
  EXPECT_TRUE(files.power_is_cut());
  char bytes[2];
  ASSERT_EQ(file->read_at(bytes, 2, 0), 2u);  // the dying process's own view
  EXPECT_EQ(std::string(bytes, 2), "bc");
  EXPECT_EQ(outcomes(files, "/d/a"), std::set<std::string>{"b"});
  EXPECT_EQ(outcomes(files, "/d/later"), std::set<std::string>{"<absent>"});
}

TEST(FaultyFileSystem, ADiskThatDiesFailsEveryLaterCallWithEio) {
  FaultyFileSystem files;
  files.create_directories("/d");
  auto file = files.open("/d/a", true);
  files.cut_power_at(1, AfterCut::fail_with_eio);
  for (int i = 0; i < 3; ++i) {
    try {
      file->write_at("x", 0);
      FAIL() << "wrote to a dead disk";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code().value(), EIO);
    }
  }
  EXPECT_THROW(file->sync_data(), std::system_error);
  EXPECT_THROW(files.sync_directory("/d"), std::system_error);
}

}  // namespace
}  // namespace queue::storage::log::testing
