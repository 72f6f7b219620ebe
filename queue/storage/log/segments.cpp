#include "queue/storage/log/segments.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <system_error>

#include "queue/storage/log/record.h"

namespace queue::storage::log {
namespace {

constexpr std::string_view suffix = ".seg";

std::optional<std::uint32_t> segment_number(std::string_view name) {
  if (name.size() != 8 + suffix.size() || !name.ends_with(suffix)) return std::nullopt;
  std::uint32_t number = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + 8, number, 16);
  if (error != std::errc() || end != name.data() + 8 || number == 0) return std::nullopt;
  return number;
}

std::size_t segment_start_bytes() {
  static const std::size_t size = [] {
    std::string scratch;
    encode_segment_start(1, scratch);
    return scratch.size();
  }();
  return size;
}

}  // namespace

Segments::Segments(FileSystem& files, std::string directory, std::uint64_t segment_bytes)
    : files_(files), directory_(std::move(directory)), segment_bytes_(segment_bytes) {}

std::string Segments::path_of(std::uint32_t segment) const {
  char name[16];
  std::snprintf(name, sizeof name, "%08x", segment);
  return directory_ + "/" + name + std::string(suffix);
}

std::vector<std::uint32_t> Segments::existing() {
  std::vector<std::uint32_t> numbers;
  for (const std::string& name : files_.list(directory_)) {
    if (auto number = segment_number(name)) numbers.push_back(*number);
  }
  std::sort(numbers.begin(), numbers.end());
  if (!numbers.empty()) next_number_ = numbers.back() + 1;
  return numbers;
}

void Segments::reset() {
  open_.clear();
  spares_.clear();
  pending_.clear();
  current_ = 0;
  end_ = 0;
  unsynced_.clear();
}

void Segments::remove_file(std::uint32_t segment) {
  files_.remove(path_of(segment));
  files_.sync_directory(directory_);
}

Segments::Bytes Segments::read_all(std::uint32_t segment) {
  auto file = files_.open(path_of(segment), false);
  Bytes bytes;
  auto size = static_cast<std::size_t>(std::min(file->size(), segment_bytes_));
  bytes.data.reset(new char[size]);
  bytes.size = file->read_at(bytes.data.get(), size, 0);
  return bytes;
}

void Segments::open_for_append(std::optional<std::uint32_t> segment, std::uint64_t end,
                               std::vector<std::uint32_t> with_records, std::vector<std::uint32_t> spares) {
  for (std::uint32_t number : with_records) open_[number] = files_.open(path_of(number), false);
  for (std::uint32_t number : spares) {
    auto spare = files_.open(path_of(number), false);
    // A spare may hold a torn segment header: make it all zeros again.
    spare->truncate(0);
    spare->allocate(segment_bytes_);
    spare->sync_data();
    spares_.emplace_back(number, std::move(spare));
  }
  if (!segment) return;
  current_ = *segment;
  end_ = end;
  // Whatever lies after the last good record (a torn write) goes: cut and allocate
  // again, which reads back as zeros, so no later scan can mistake it for a record.
  File& tail = file(current_);
  tail.truncate(end_);
  tail.allocate(segment_bytes_);
  tail.sync_data();
}

File& Segments::file(std::uint32_t segment) {
  auto found = open_.find(segment);
  if (found == open_.end()) throw std::system_error(ENOENT, std::generic_category(), "no segment " + path_of(segment));
  return *found->second;
}

void Segments::create_spare() {
  std::uint32_t number = next_number_;
  std::string path = path_of(number);
  auto created = files_.open(path, true);
  try {
    created->allocate(segment_bytes_);
    created->sync_data();
    files_.sync_directory(directory_);
  } catch (...) {
    created.reset();
    try {
      files_.remove(path);
    } catch (...) {
      // The next start finds an empty segment and keeps it as a spare.
    }
    throw;
  }
  ++next_number_;
  spares_.emplace_back(number, std::move(created));
}

std::uint64_t Segments::free_allocated() const {
  std::uint64_t tail = current_ == 0 ? 0 : segment_bytes_ - end_;
  return tail + spares_.size() * (segment_bytes_ - segment_start_bytes());
}

bool Segments::make_room(std::uint64_t bytes, std::uint64_t reserve) {
  // The current segment's tail is lost if the record does not fit in it.
  for (;;) {
    std::uint64_t tail = current_ == 0 ? 0 : segment_bytes_ - end_;
    std::uint64_t usable = free_allocated() - (bytes > tail ? tail : 0);
    if (usable >= bytes + reserve) return true;
    try {
      create_spare();
    } catch (const std::system_error& e) {
      int error = e.code().value();
      if (error == ENOSPC || error == EDQUOT || error == EFBIG) return false;
      throw;
    }
  }
}

void Segments::roll() {
  if (spares_.empty()) create_spare();
  auto [number, spare] = std::move(spares_.front());
  spares_.erase(spares_.begin());
  open_[number] = std::move(spare);
  current_ = number;
  end_ = 0;
  std::string header;
  encode_segment_start(number, header);
  pending_.push_back(Chunk{current_, 0, std::move(header)});
  end_ = pending_.back().bytes.size();
}

Location Segments::append(std::string_view record) {
  if (record.size() + segment_start_bytes() > segment_bytes_) {
    throw std::system_error(EFBIG, std::generic_category(), "a record larger than a segment");
  }
  if (current_ == 0 || end_ + record.size() > segment_bytes_) roll();
  if (pending_.empty() || pending_.back().segment != current_) pending_.push_back(Chunk{current_, end_, {}});
  Chunk& chunk = pending_.back();
  Location location{current_, static_cast<std::uint32_t>(end_), static_cast<std::uint32_t>(record.size())};
  chunk.bytes.append(record);
  end_ += record.size();
  return location;
}

std::size_t Segments::pending_bytes() const {
  std::size_t total = 0;
  for (const Chunk& chunk : pending_) total += chunk.bytes.size();
  return total;
}

Segments::Mark Segments::mark() const {
  return Mark{pending_.size(), pending_.empty() ? 0 : pending_.back().bytes.size(), current_, end_, spares_.size()};
}

void Segments::rollback_to(const Mark& mark) {
  // Segments this transaction rolled onto go back to the front of the spares.
  while (current_ != mark.current) {
    auto found = open_.find(current_);
    spares_.emplace(spares_.begin(), current_, std::move(found->second));
    open_.erase(found);
    current_ = open_.empty() ? 0 : open_.rbegin()->first;
  }
  pending_.resize(mark.chunks);
  if (!pending_.empty()) pending_.back().bytes.resize(mark.last_chunk_size);
  end_ = mark.end;
}

double Segments::commit(bool sync) {
  for (const Chunk& chunk : pending_) {
    file(chunk.segment).write_at(chunk.bytes, chunk.offset);
    unsynced_.insert(chunk.segment);
  }
  pending_.clear();
  if (!sync) return 0;
  const auto started = std::chrono::steady_clock::now();
  // Every segment written since its last sync, not only this commit's: a relaxed commit
  // may have left the previous segment's tail unsynced before this one rolled on, and
  // a durable commit must never depend on an earlier change a power loss could drop.
  for (std::uint32_t segment : unsynced_) {
    if (open_.contains(segment)) file(segment).sync_data();
  }
  unsynced_.clear();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

std::string Segments::read(const Location& location) {
  for (const Chunk& chunk : pending_) {
    if (chunk.segment == location.segment && location.offset >= chunk.offset &&
        location.offset + location.length <= chunk.offset + chunk.bytes.size()) {
      return chunk.bytes.substr(location.offset - chunk.offset, location.length);
    }
  }
  std::string bytes(location.length, '\0');
  if (file(location.segment).read_at(bytes.data(), bytes.size(), location.offset) != bytes.size()) {
    throw std::system_error(EIO, std::generic_category(), "short read of " + path_of(location.segment));
  }
  return bytes;
}

std::vector<std::uint32_t> Segments::in_use() const {
  std::vector<std::uint32_t> numbers;
  for (const auto& [number, file] : open_) numbers.push_back(number);
  return numbers;
}

void Segments::remove(std::uint32_t segment) {
  if (segment == current_) return;
  open_.erase(segment);
  unsynced_.erase(segment);
  files_.remove(path_of(segment));
  files_.sync_directory(directory_);
}

}  // namespace queue::storage::log
