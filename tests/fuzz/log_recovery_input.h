// The input format of fuzz_log_recovery (the message log's recovery), shared with
// the generator of its seed corpus (tests/log/fuzz_corpus_test.cpp).
//
//   byte 0       mode: even = raw, odd = structured
//   raw          the rest, cut into 1 + (byte 0 >> 1) % 3 equal parts, is the content
//                of segment files 1, 2, ... (mutation-based: torn and corrupt bytes)
//   structured   chunks of: u8 tag, u16 length (little-endian), `length` bytes.
//                Segment 1 starts with a valid segment_start record; tag 0xff starts
//                the next segment (with its own segment_start), tag 0xfe appends the
//                bytes as they are (garbage, a torn tail), any other tag appends a
//                record of type `tag % 16` (unknown types too) whose payload is the
//                bytes, framed with a CORRECT crc, so mutations reach the record
//                decoders and the index's replay instead of dying at the checksum.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "queue/storage/log/record.h"

namespace queue::storage::log::fuzzing {

inline constexpr std::uint8_t tag_next_segment = 0xff;
inline constexpr std::uint8_t tag_raw_bytes = 0xfe;

// A record framed as the log frames it, whatever its type and payload.
inline void append_framed(std::string& out, std::uint8_t type, std::string_view payload) {
  std::string body;
  const auto length = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) body.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  body.push_back(static_cast<char>(type));
  body.append(payload);
  const std::uint32_t crc = crc32c(body);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  out.append(body);
}

inline std::string segment_header(std::uint32_t number) {
  std::string out;
  encode_segment_start(number, out);
  return out;
}

// The segment files' contents, numbered from 1.
inline std::vector<std::string> segments_from_input(std::string_view input) {
  std::vector<std::string> segments;
  if (input.empty()) return segments;
  const auto mode = static_cast<std::uint8_t>(input[0]);
  input.remove_prefix(1);
  if (mode % 2 == 0) {
    const std::size_t count = 1 + (mode >> 1) % 3;
    const std::size_t part = (input.size() + count - 1) / count;
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t from = std::min(input.size(), i * part);
      segments.emplace_back(input.substr(from, part));
    }
    return segments;
  }
  segments.push_back(segment_header(1));
  while (input.size() >= 3) {
    const auto tag = static_cast<std::uint8_t>(input[0]);
    std::size_t length = static_cast<std::uint8_t>(input[1]) | (std::size_t{static_cast<std::uint8_t>(input[2])} << 8);
    input.remove_prefix(3);
    length = std::min(length, input.size());
    std::string_view payload = input.substr(0, length);
    input.remove_prefix(length);
    if (tag == tag_next_segment) {
      if (segments.size() < 8) segments.push_back(segment_header(static_cast<std::uint32_t>(segments.size() + 1)));
    } else if (tag == tag_raw_bytes) {
      segments.back().append(payload);
    } else {
      append_framed(segments.back(), static_cast<std::uint8_t>(tag % 16), payload);
    }
  }
  return segments;
}

// The structured input that gives back `segments` (each a real segment's bytes,
// trailing zeros trimmed): its records as chunks, bytes that do not parse as raw.
inline std::string structured_input(const std::vector<std::string>& segments) {
  std::string out(1, '\1');
  auto chunk = [&](std::uint8_t tag, std::string_view payload) {
    out.push_back(static_cast<char>(tag));
    out.push_back(static_cast<char>(payload.size() & 0xff));
    out.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
    out.append(payload);
  };
  for (std::size_t s = 0; s < segments.size(); ++s) {
    if (s > 0) chunk(tag_next_segment, {});
    std::string_view rest(segments[s]);
    Framed framed;
    bool first = true;
    while (!rest.empty() && parse_frame(rest, 1u << 31, framed) == FrameStatus::ok) {
      if (!(first && framed.type == RecordType::segment_start)) {
        // (A payload longer than a chunk holds is left out: seeds have small bodies.)
        if (framed.payload.size() <= 0xffff) chunk(static_cast<std::uint8_t>(framed.type), framed.payload);
      }
      first = false;
      rest.remove_prefix(framed.size);
    }
    if (!rest.empty()) chunk(tag_raw_bytes, rest.substr(0, 0xffff));
  }
  return out;
}

}  // namespace queue::storage::log::fuzzing
