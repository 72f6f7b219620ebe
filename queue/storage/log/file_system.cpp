#include "queue/storage/log/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace queue::storage::log {
namespace {

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  void write_at(std::string_view data, std::uint64_t offset) override {
    while (!data.empty()) {
      ssize_t written = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
      if (written < 0) {
        if (errno == EINTR) continue;
        fail(errno, "cannot write " + path_);
      }
      data.remove_prefix(static_cast<std::size_t>(written));
      offset += static_cast<std::uint64_t>(written);
    }
  }

  std::size_t read_at(char* buffer, std::size_t length, std::uint64_t offset) override {
    std::size_t done = 0;
    while (done < length) {
      ssize_t got = ::pread(fd_, buffer + done, length - done, static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) continue;
        fail(errno, "cannot read " + path_);
      }
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

  void sync_data() override {
    if (::fdatasync(fd_) != 0) fail(errno, "cannot fdatasync " + path_);
  }

  void allocate(std::uint64_t size) override {
    // posix_fallocate returns the error instead of setting errno.
    int error = ::posix_fallocate(fd_, 0, static_cast<off_t>(size));
    if (error != 0) fail(error, "cannot allocate " + std::to_string(size) + " bytes for " + path_);
  }

  void truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail(errno, "cannot truncate " + path_);
  }

  std::uint64_t size() override {
    off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) fail(errno, "cannot size " + path_);
    return static_cast<std::uint64_t>(end);
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFileSystem final : public FileSystem {
 public:
  std::unique_ptr<File> open(const std::string& path, bool create) override {
    int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) fail(errno, "cannot open " + path);
    return std::make_unique<PosixFile>(fd, path);
  }

  void remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail(errno, "cannot remove " + path);
  }

  std::vector<std::string> list(const std::string& directory) override {
    std::vector<std::string> names;
    DIR* dir = ::opendir(directory.c_str());
    if (!dir) fail(errno, "cannot list " + directory);
    while (dirent* entry = ::readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(dir);
    return names;
  }

  void sync_directory(const std::string& directory) override {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(errno, "cannot open directory " + directory);
    int result = ::fsync(fd);
    int error = errno;
    ::close(fd);
    if (result != 0) fail(error, "cannot fsync directory " + directory);
  }

  void create_directories(const std::string& directory) override {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) fail(error.value(), "cannot create directory " + directory);
  }
};

}  // namespace

FileSystem& posix_file_system() {
  static PosixFileSystem instance;
  return instance;
}

}  // namespace queue::storage::log
