// An in-memory FileSystem (queue/storage/log/file_system.h) that models what a
// power loss leaves on disk, for the message log's crash and disk-full tests and
// its recovery fuzzer.
//
// The model, kept deliberately simple:
// - Each file has its durable content (as of its last sync_data) and its current
//   content (what reads see). Every write, truncate and allocate since the last
//   sync_data is kept, in order, as an unsynced operation.
// - Directory entries (a create, a remove) become durable only at sync_directory.
//   A removed file whose removal was not synced comes back after a crash with its
//   durable content; a created file whose creation was not synced is gone.
// - crash(seed) builds the file set a power loss would leave: the durable entries;
//   for each file its durable content, then a random prefix of its unsynced
//   operations applied in order, then possibly the next write torn: either a
//   prefix of it, or (the disk persists 512-byte sectors independently) a random
//   subset of its sectors. Files are torn independently of one another, so a
//   commit that wrote to two segments may survive in one and not the other.
//   Out-of-order persistence of whole writes within one file is not modelled.
// - Space: allocate() and writes past the end grow a file's size; the sum of the
//   sizes of linked files may be capped (set_capacity), beyond which those calls
//   throw std::system_error(ENOSPC) and change nothing. Content is sparse: only the
//   bytes up to the highest write are stored, the rest reads back as zeros, so a
//   preallocated 2 MiB segment costs what was written to it.
// - Faults: cut_power_at(n) cuts the power at the n-th fallible call from now
//   (write_at, sync_data, allocate, truncate, remove, sync_directory, an open that
//   creates): that call and every later one never reach the disk. By default the
//   store does not notice (AfterCut::ignored): in reality the process died at that
//   instant, so what it does afterwards is moot, and letting it run on keeps its
//   error handling out of the way (a failed commit rebuilds the index from the
//   disk, and terminates the process if the disk fails then, by design). The test
//   asks power_is_cut() after each commit: a commit that "returned" after the cut
//   never did. crash(seed) is then the state at the cut. AfterCut::fail_with_eio
//   instead makes the cut call and every later fallible one throw
//   std::system_error(EIO), a disk that died under a running process.
//   fail_at(n, errno) makes only the n-th fallible call throw std::system_error (a
//   transient error the store must survive); it changes nothing on disk.
//
// Thread-safe (one mutex), so a test thread may arm a fault while an engine thread
// uses the store.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "queue/storage/log/file_system.h"

namespace queue::storage::log::testing {

enum class AfterCut { ignored, fail_with_eio };

class FaultyFileSystem final : public FileSystem {
 public:
  FaultyFileSystem() = default;
  FaultyFileSystem(const FaultyFileSystem&) = delete;
  FaultyFileSystem& operator=(const FaultyFileSystem&) = delete;

  // --- FileSystem ---
  std::unique_ptr<File> open(const std::string& path, bool create) override;
  void remove(const std::string& path) override;
  std::vector<std::string> list(const std::string& directory) override;
  void sync_directory(const std::string& directory) override;
  void create_directories(const std::string& directory) override;

  // --- power loss ---
  // What survives a power loss now, as a new file system with nothing unsynced.
  // Deterministic for a given seed and state.
  std::unique_ptr<FaultyFileSystem> crash(std::uint64_t seed) const;
  // The file system as it would be after every pending write and entry reached the
  // disk (a clean shutdown's view).
  std::unique_ptr<FaultyFileSystem> synced_copy() const;
  // `call` counts from 1: the next fallible call is call 1. 0 disarms.
  void cut_power_at(std::uint64_t call, AfterCut after = AfterCut::ignored);
  bool power_is_cut() const;
  // Only the call-th fallible call from now fails, with `error`. 0 disarms.
  void fail_at(std::uint64_t call, int error);
  // Fallible calls made so far.
  std::uint64_t calls() const;

  // --- space ---
  void set_capacity(std::optional<std::uint64_t> bytes);
  std::uint64_t used_bytes() const;

  // --- direct access (tests and the fuzzer) ---
  // Creates or replaces a file, durably, with exactly these bytes.
  void put_file(const std::string& path, std::string_view bytes);
  // The current content (zeros included up to its size); nullopt if absent.
  std::optional<std::string> file_content(const std::string& path) const;
  // Paths of the files linked now, sorted.
  std::vector<std::string> paths() const;

 private:
  friend class FaultyFile;

  struct Content {
    std::string bytes;       // up to the highest byte written; beyond: zeros
    std::uint64_t size = 0;  // the file's size
  };
  struct Operation {
    enum class Kind { write, truncate, allocate } kind;
    std::uint64_t offset = 0;  // write: where; truncate and allocate: the size
    std::string data;
  };
  struct Node {
    Content durable;
    Content current;
    std::vector<Operation> unsynced;
  };

  static void apply(Content& content, const Operation& operation);
  // Counts a fallible call; throws if it is to fail. False: the power is cut, the
  // call must not reach the disk (only the process's view of the files changes).
  bool fallible(std::string_view what);
  void need_space(const Node& node, std::uint64_t new_size, const std::string& what) const;
  bool linked(const Node& node) const;
  std::uint64_t used_bytes_locked() const;

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Node>> entries_;          // the directory now
  std::map<std::string, std::shared_ptr<Node>> durable_entries_;  // as of each directory's last sync
  std::set<std::string> directories_;
  std::optional<std::uint64_t> capacity_;
  std::uint64_t calls_ = 0;
  std::uint64_t cut_at_ = 0;  // absolute call number; 0: never
  std::uint64_t fail_call_ = 0;
  int fail_error_ = 0;
  bool cut_ = false;
  AfterCut after_cut_ = AfterCut::ignored;
};

}  // namespace queue::storage::log::testing
