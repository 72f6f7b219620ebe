// The segment files of the message log: numbered, fixed-size, preallocated files
// in one directory (00000001.seg, ...), appended to in order.
//
// Why preallocated: an fdatasync of a file whose size did not change flushes only
// the data, while appending to a growing file also flushes its metadata (a second
// device write per commit, see the research notes on Redis's AOF). And a full disk
// shows itself when a segment is created, never in the middle of a commit: the
// store keeps enough allocated space in reserve for every live message's ack
// (reserve_bytes), so acks, and so consumers, keep working on a full disk.
//
// A transaction's records collect in memory (pending) and reach the files in
// commit(): one write per segment touched (normally one), then one fdatasync per
// file when the commit must be durable. Records never span segments.
//
// Single-threaded: the store's engine thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "queue/storage/log/file_system.h"

namespace queue::storage::log {

struct Location {
  std::uint32_t segment = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;  // framed record size
};

class Segments {
 public:
  Segments(FileSystem& files, std::string directory, std::uint64_t segment_bytes);

  std::uint64_t segment_bytes() const { return segment_bytes_; }
  const std::string& directory() const { return directory_; }

  // --- recovery ---
  // Forgets every open file and pending write (before a new recovery).
  void reset();
  // Segment numbers found on disk, ascending (spares included).
  std::vector<std::uint32_t> existing();
  // Deletes a segment file no one uses (an empty one left between others).
  void remove_file(std::uint32_t segment);
  // Reads a whole segment's bytes (recovery scans it) into a buffer that is not
  // zero-filled first (16 MiB of memset per segment was 15% of recovery).
  struct Bytes {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::string_view view() const { return {data.get(), size}; }
  };
  Bytes read_all(std::uint32_t segment);
  // After the scan: `with_records` are the segments holding records, the last of
  // them (`segment`) ending at `end`; what lies after is zeroed, so a record torn
  // there can never be read back later. `spares` (empty segments) are kept for later.
  void open_for_append(std::optional<std::uint32_t> segment, std::uint64_t end,
                       std::vector<std::uint32_t> with_records, std::vector<std::uint32_t> spares);

  // --- appending (inside a transaction) ---
  // Whether `bytes` more can be appended while keeping `reserve` bytes allocated for
  // later; allocates spare segments as needed. False: the disk is full.
  bool make_room(std::uint64_t bytes, std::uint64_t reserve);
  // Appends one framed record to the pending writes; rolls to a new segment when it
  // does not fit in the current one. Throws std::system_error when no segment is
  // left (make_room was not asked first).
  Location append(std::string_view record);
  std::size_t pending_bytes() const;

  struct Mark {
    std::size_t chunks = 0;
    std::size_t last_chunk_size = 0;
    std::uint32_t current = 0;
    std::uint64_t end = 0;
    std::size_t spares = 0;
  };
  Mark mark() const;
  void rollback_to(const Mark& mark);

  // Writes the pending records; fdatasync when `sync`. Throws std::system_error.
  // (A transaction is abandoned with rollback_to(the mark taken at its start).)
  // Returns how long the fdatasyncs took, in seconds (0 when not asked to sync).
  double commit(bool sync);

  // A record's bytes, from the pending writes or the file. Throws std::system_error.
  std::string read(const Location& location);

  // --- space ---
  std::uint32_t current() const { return current_; }
  // Segments holding records, oldest first (the current one last).
  std::vector<std::uint32_t> in_use() const;
  // Deletes a whole segment (never the current one) and fsyncs the directory.
  void remove(std::uint32_t segment);
  // Bytes allocated and not yet written: the rest of the current segment and spares.
  std::uint64_t free_allocated() const;

 private:
  struct Chunk {
    std::uint32_t segment;
    std::uint64_t offset;
    std::string bytes;
  };
  std::string path_of(std::uint32_t segment) const;
  File& file(std::uint32_t segment);
  // A new preallocated, synced, empty segment, kept as a spare. Throws on ENOSPC.
  void create_spare();
  void roll();

  FileSystem& files_;
  std::string directory_;
  std::uint64_t segment_bytes_;
  std::map<std::uint32_t, std::unique_ptr<File>> open_;  // every segment with records
  std::vector<std::pair<std::uint32_t, std::unique_ptr<File>>> spares_;  // allocated, empty, in order
  std::uint32_t current_ = 0;  // 0: none yet
  std::uint64_t end_ = 0;      // end of the current segment's records, pending included
  std::uint32_t next_number_ = 1;
  std::vector<Chunk> pending_;
  std::set<std::uint32_t> unsynced_;  // written since their last fdatasync, in order
};

}  // namespace queue::storage::log
