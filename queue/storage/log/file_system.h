// The few file operations the message log needs, behind an interface so tests can
// put a fault-injecting layer underneath (tests/log/faulty_file_system.h: power
// loss after the last fdatasync, torn writes, a full disk) without touching the
// engine. Every call either succeeds whole or throws std::system_error carrying
// errno (ENOSPC, EIO, ...); the store maps those to StoreError.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace queue::storage::log {

class File {
 public:
  virtual ~File() = default;
  // Writes all of `data` at `offset` (pwrite, repeated until done).
  virtual void write_at(std::string_view data, std::uint64_t offset) = 0;
  // Reads up to `length` bytes at `offset`; fewer only at the end of the file.
  virtual std::size_t read_at(char* buffer, std::size_t length, std::uint64_t offset) = 0;
  // fdatasync: what was written is on stable storage when this returns.
  virtual void sync_data() = 0;
  // Reserves blocks up to `size` (posix_fallocate): later writes below it never
  // fail for lack of space, and read back as zeros until written.
  virtual void allocate(std::uint64_t size) = 0;
  virtual void truncate(std::uint64_t size) = 0;
  virtual std::uint64_t size() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual std::unique_ptr<File> open(const std::string& path, bool create) = 0;
  virtual void remove(const std::string& path) = 0;
  // Names (not paths) of the directory's entries.
  virtual std::vector<std::string> list(const std::string& directory) = 0;
  // fsync of the directory itself: a created or removed file survives power loss.
  virtual void sync_directory(const std::string& directory) = 0;
  virtual void create_directories(const std::string& directory) = 0;
};

// The real one (POSIX calls). Shared, stateless.
FileSystem& posix_file_system();

}  // namespace queue::storage::log
