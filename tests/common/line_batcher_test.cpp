// LineBatcher: lines that may wait go out together, whole and in order, and never later than asked.
#include "common/line_batcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace common::log {
namespace {

using namespace std::chrono_literals;

// Every write the batcher makes, as one string each.
class Writes {
 public:
  LineBatcher::Writer writer() {
    return [this](std::string_view lines) {
      std::lock_guard lock(mutex_);
      writes_.emplace_back(lines);
    };
  }
  std::vector<std::string> taken() {
    std::lock_guard lock(mutex_);
    return writes_;
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds within) {
    auto until = std::chrono::steady_clock::now() + within;
    while (taken().size() < count) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> writes_;
};

TEST(LineBatcher, LinesThatMayWaitGoOutTogetherWithTheNextImmediateLine) {
  Writes writes;
  LineBatcher batcher(writes.writer(), 1h, 1 << 20);
  batcher.add("a\n", true);
  batcher.add("b\n", true);
  EXPECT_TRUE(writes.taken().empty());
  batcher.add("warn\n", false);
  EXPECT_EQ(writes.taken(), std::vector<std::string>{"a\nb\nwarn\n"});
}

std::size_t threads_of_this_process() {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) count += entry.exists();
  return count;
}

TEST(LineBatcher, ItsThreadStartsWithTheFirstKeptLine) {
  Writes writes;
  const std::size_t before = threads_of_this_process();
  LineBatcher batcher(writes.writer(), 1h, 1 << 20);
  batcher.add("listening\n", false);
  EXPECT_EQ(threads_of_this_process(), before) << "a process that never batches needs no flusher";
  batcher.add("request\n", true);
  // At least one: under TSan the process's first new thread also starts the
  // sanitizer's own background thread.
  EXPECT_GE(threads_of_this_process(), before + 1);
}

TEST(LineBatcher, AnImmediateLineAloneIsWrittenAtOnce) {
  Writes writes;
  LineBatcher batcher(writes.writer(), 1h, 1 << 20);
  batcher.add("listening\n", false);
  EXPECT_EQ(writes.taken(), std::vector<std::string>{"listening\n"});
}

TEST(LineBatcher, KeptLinesAreWrittenOnceTheWindowPasses) {
  Writes writes;
  LineBatcher batcher(writes.writer(), 50ms, 1 << 20);
  auto added = std::chrono::steady_clock::now();
  batcher.add("a\n", true);
  batcher.add("b\n", true);
  ASSERT_TRUE(writes.wait_for(1, 5s));
  EXPECT_GE(std::chrono::steady_clock::now() - added, 50ms);
  EXPECT_EQ(writes.taken(), std::vector<std::string>{"a\nb\n"});

  // A new window starts with the next kept line.
  batcher.add("c\n", true);
  ASSERT_TRUE(writes.wait_for(2, 5s));
  EXPECT_EQ(writes.taken().back(), "c\n");
}

TEST(LineBatcher, KeptBytesPastTheLimitAreWrittenAtOnceAndWhole) {
  Writes writes;
  LineBatcher batcher(writes.writer(), 1h, 10);
  batcher.add("12345\n", true);
  EXPECT_TRUE(writes.taken().empty());
  batcher.add("67890\n", true);
  EXPECT_EQ(writes.taken(), std::vector<std::string>{"12345\n67890\n"});
}

TEST(LineBatcher, FlushAndDestructionWriteWhatIsKept) {
  Writes writes;
  {
    LineBatcher batcher(writes.writer(), 1h, 1 << 20);
    batcher.add("a\n", true);
    batcher.flush();
    EXPECT_EQ(writes.taken(), std::vector<std::string>{"a\n"});
    batcher.flush();  // nothing kept: no empty write
    EXPECT_EQ(writes.taken().size(), 1u);
    batcher.add("b\n", true);
  }
  EXPECT_EQ(writes.taken(), (std::vector<std::string>{"a\n", "b\n"}));
}

TEST(LineBatcher, LinesFromManyThreadsStayWholeAndNoneIsLost) {
  Writes writes;
  {
    LineBatcher batcher(writes.writer(), 1ms, 256);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&batcher, t] {
        for (int i = 0; i < 500; ++i) batcher.add("line-" + std::to_string(t) + "\n", i % 7 != 0);
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::size_t lines = 0;
  for (const std::string& write : writes.taken()) {
    ASSERT_FALSE(write.empty());
    EXPECT_EQ(write.back(), '\n');
    for (char c : write) lines += c == '\n';
  }
  EXPECT_EQ(lines, 2000u);
}

}  // namespace
}  // namespace common::log
