#include "tests/log/faulty_file_system.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <system_error>

#include "tests/log/seeded_random.h"

namespace queue::storage::log::testing {
namespace {

constexpr std::uint64_t sector_bytes = 512;

std::string parent_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

using Random = SeededRandom;

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

// A handle: keeps its node alive after a remove, as an open POSIX descriptor does.
class FaultyFile final : public File {
 public:
  FaultyFile(FaultyFileSystem& files, std::shared_ptr<FaultyFileSystem::Node> node, std::string path)
      : files_(files), node_(std::move(node)), path_(std::move(path)) {}

  void write_at(std::string_view data, std::uint64_t offset) override {
    std::lock_guard lock(files_.mutex_);
    bool reaches_disk = files_.fallible("write");
    files_.need_space(*node_, std::max(node_->current.size, offset + data.size()), "write " + path_);
    change({FaultyFileSystem::Operation::Kind::write, offset, std::string(data)}, reaches_disk);
  }

  std::size_t read_at(char* buffer, std::size_t length, std::uint64_t offset) override {
    std::lock_guard lock(files_.mutex_);
    const auto& content = node_->current;
    if (offset >= content.size) return 0;
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(length, content.size - offset));
    std::size_t stored = offset >= content.bytes.size()
                             ? 0
                             : static_cast<std::size_t>(std::min<std::uint64_t>(n, content.bytes.size() - offset));
    if (stored > 0) std::memcpy(buffer, content.bytes.data() + offset, stored);
    std::memset(buffer + stored, 0, n - stored);
    return n;
  }

  void sync_data() override {
    std::lock_guard lock(files_.mutex_);
    if (!files_.fallible("sync")) return;
    for (const auto& operation : node_->unsynced) FaultyFileSystem::apply(node_->durable, operation);
    node_->unsynced.clear();
  }

  void allocate(std::uint64_t size) override {
    std::lock_guard lock(files_.mutex_);
    bool reaches_disk = files_.fallible("allocate");
    files_.need_space(*node_, std::max(node_->current.size, size), "allocate " + path_);
    change({FaultyFileSystem::Operation::Kind::allocate, size, {}}, reaches_disk);
  }

  void truncate(std::uint64_t size) override {
    std::lock_guard lock(files_.mutex_);
    bool reaches_disk = files_.fallible("truncate");
    files_.need_space(*node_, size, "truncate " + path_);
    change({FaultyFileSystem::Operation::Kind::truncate, size, {}}, reaches_disk);
  }

  std::uint64_t size() override {
    std::lock_guard lock(files_.mutex_);
    return node_->current.size;
  }

 private:
  void change(FaultyFileSystem::Operation operation, bool reaches_disk) {
    FaultyFileSystem::apply(node_->current, operation);
    if (reaches_disk) node_->unsynced.push_back(std::move(operation));
  }

  FaultyFileSystem& files_;
  std::shared_ptr<FaultyFileSystem::Node> node_;
  std::string path_;
};

void FaultyFileSystem::apply(Content& content, const Operation& operation) {
  switch (operation.kind) {
    case Operation::Kind::write: {
      std::uint64_t end = operation.offset + operation.data.size();
      if (content.bytes.size() < end) content.bytes.resize(static_cast<std::size_t>(end), '\0');
      std::copy(operation.data.begin(), operation.data.end(),
                content.bytes.begin() + static_cast<std::ptrdiff_t>(operation.offset));
      content.size = std::max(content.size, end);
      break;
    }
    case Operation::Kind::truncate:
      if (content.bytes.size() > operation.offset) content.bytes.resize(static_cast<std::size_t>(operation.offset));
      content.size = operation.offset;
      break;
    case Operation::Kind::allocate:
      content.size = std::max(content.size, operation.offset);
      break;
  }
}

bool FaultyFileSystem::fallible(std::string_view what) {
  ++calls_;
  if (cut_at_ != 0 && calls_ >= cut_at_) cut_ = true;
  if (cut_) {
    if (after_cut_ == AfterCut::fail_with_eio) fail(EIO, "the disk is gone: " + std::string(what));
    return false;
  }
  if (fail_call_ != 0 && calls_ == fail_call_) {
    fail_call_ = 0;
    fail(fail_error_, "injected fault: " + std::string(what));
  }
  return true;
}

bool FaultyFileSystem::linked(const Node& node) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry.second.get() == &node; });
}

std::uint64_t FaultyFileSystem::used_bytes() const {
  std::lock_guard lock(mutex_);
  return used_bytes_locked();
}

std::uint64_t FaultyFileSystem::used_bytes_locked() const {
  std::uint64_t used = 0;
  for (const auto& [path, node] : entries_) used += node->current.size;
  return used;
}

void FaultyFileSystem::need_space(const Node& node, std::uint64_t new_size, const std::string& what) const {
  if (!capacity_ || new_size <= node.current.size || !linked(node)) return;
  if (used_bytes_locked() + (new_size - node.current.size) > *capacity_) fail(ENOSPC, "cannot " + what);
}

std::unique_ptr<File> FaultyFileSystem::open(const std::string& path, bool create) {
  std::lock_guard lock(mutex_);
  if (!directories_.contains(parent_of(path))) fail(ENOENT, "no directory for " + path);
  auto found = entries_.find(path);
  if (found == entries_.end()) {
    if (!create) fail(ENOENT, "cannot open " + path);
    fallible("create");  // an entry is durable only at sync_directory anyway
    found = entries_.emplace(path, std::make_shared<Node>()).first;
  }
  return std::make_unique<FaultyFile>(*this, found->second, path);
}

void FaultyFileSystem::remove(const std::string& path) {
  std::lock_guard lock(mutex_);
  fallible("remove");  // durable only at sync_directory anyway
  entries_.erase(path);
}

std::vector<std::string> FaultyFileSystem::list(const std::string& directory) {
  std::lock_guard lock(mutex_);
  if (!directories_.contains(directory)) fail(ENOENT, "cannot list " + directory);
  std::vector<std::string> names;
  for (const auto& [path, node] : entries_) {
    if (parent_of(path) == directory) names.push_back(path.substr(directory.size() + 1));
  }
  return names;
}

void FaultyFileSystem::sync_directory(const std::string& directory) {
  std::lock_guard lock(mutex_);
  if (!fallible("sync directory")) return;
  std::erase_if(durable_entries_, [&](const auto& entry) { return parent_of(entry.first) == directory; });
  for (const auto& [path, node] : entries_) {
    if (parent_of(path) == directory) durable_entries_[path] = node;
  }
}

void FaultyFileSystem::create_directories(const std::string& directory) {
  std::lock_guard lock(mutex_);
  // Directories are durable at once: the store creates its one directory at open.
  for (std::string at = directory; !at.empty(); at = parent_of(at)) directories_.insert(at);
}

std::unique_ptr<FaultyFileSystem> FaultyFileSystem::crash(std::uint64_t seed) const {
  std::lock_guard lock(mutex_);
  auto image = std::make_unique<FaultyFileSystem>();
  image->directories_ = directories_;
  for (const auto& [path, node] : durable_entries_) {
    Random random(seed ^ std::hash<std::string>{}(path));
    auto survivor = std::make_shared<Node>();
    Content content = node->durable;
    const std::size_t kept = static_cast<std::size_t>(random.below(node->unsynced.size() + 1));
    for (std::size_t i = 0; i < kept; ++i) apply(content, node->unsynced[i]);
    if (kept < node->unsynced.size() && node->unsynced[kept].kind == Operation::Kind::write && random.below(2) == 0) {
      const Operation& torn = node->unsynced[kept];
      if (random.below(2) == 0) {
        // A prefix of the write reached the disk.
        apply(content, Operation{Operation::Kind::write, torn.offset,
                                 torn.data.substr(0, static_cast<std::size_t>(random.below(torn.data.size())))});
      } else {
        // Some of its sectors reached the disk, in no particular order.
        std::uint64_t end = torn.offset + torn.data.size();
        for (std::uint64_t at = torn.offset; at < end;) {
          std::uint64_t sector_end = std::min(end, (at / sector_bytes + 1) * sector_bytes);
          if (random.below(2) == 0) {
            apply(content, Operation{Operation::Kind::write, at,
                                     torn.data.substr(static_cast<std::size_t>(at - torn.offset),
                                                      static_cast<std::size_t>(sector_end - at))});
          }
          at = sector_end;
        }
      }
    }
    survivor->durable = content;
    survivor->current = std::move(content);
    image->entries_.emplace(path, survivor);
    image->durable_entries_.emplace(path, std::move(survivor));
  }
  return image;
}

std::unique_ptr<FaultyFileSystem> FaultyFileSystem::synced_copy() const {
  std::lock_guard lock(mutex_);
  auto copy = std::make_unique<FaultyFileSystem>();
  copy->directories_ = directories_;
  for (const auto& [path, node] : entries_) {
    auto twin = std::make_shared<Node>();
    twin->durable = node->current;
    twin->current = node->current;
    copy->entries_.emplace(path, twin);
    copy->durable_entries_.emplace(path, std::move(twin));
  }
  return copy;
}

void FaultyFileSystem::cut_power_at(std::uint64_t call, AfterCut after) {
  std::lock_guard lock(mutex_);
  cut_at_ = call == 0 ? 0 : calls_ + call;
  after_cut_ = after;
}

bool FaultyFileSystem::power_is_cut() const {
  std::lock_guard lock(mutex_);
  return cut_;
}

std::uint64_t FaultyFileSystem::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

void FaultyFileSystem::set_capacity(std::optional<std::uint64_t> bytes) {
  std::lock_guard lock(mutex_);
  capacity_ = bytes;
}

void FaultyFileSystem::fail_at(std::uint64_t call, int error) {
  std::lock_guard lock(mutex_);
  fail_call_ = call == 0 ? 0 : calls_ + call;
  fail_error_ = error;
}

void FaultyFileSystem::put_file(const std::string& path, std::string_view bytes) {
  create_directories(parent_of(path));
  std::lock_guard lock(mutex_);
  auto node = std::make_shared<Node>();
  node->current.bytes = std::string(bytes);
  node->current.size = bytes.size();
  node->durable = node->current;
  entries_[path] = node;
  durable_entries_[path] = std::move(node);
}

std::optional<std::string> FaultyFileSystem::file_content(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(path);
  if (found == entries_.end()) return std::nullopt;
  std::string bytes = found->second->current.bytes;
  bytes.resize(static_cast<std::size_t>(found->second->current.size), '\0');
  return bytes;
}

std::vector<std::string> FaultyFileSystem::paths() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [path, node] : entries_) out.push_back(path);
  return out;
}

}  // namespace queue::storage::log::testing
