#include "bench/payload.h"

#include <charconv>
#include <chrono>

namespace bench {
namespace {

// Layout: "seq=<16 hex> sent=<16 hex> " <filler> " sum=<8 hex>", 256 bytes in all.
constexpr std::string_view kSeqTag = "seq=";
constexpr std::string_view kSentTag = " sent=";
constexpr std::string_view kSumTag = " sum=";
constexpr std::size_t kHexU64 = 16;
constexpr std::size_t kHexU32 = 8;
constexpr std::size_t kHeaderBytes = kSeqTag.size() + kHexU64 + kSentTag.size() + kHexU64 + 1;
constexpr std::size_t kTrailerBytes = kSumTag.size() + kHexU32;
constexpr std::size_t kCheckedBytes = kBodyBytes - kTrailerBytes;
static_assert(kHeaderBytes < kCheckedBytes);

// FNV-1a: the point is catching a flipped or shifted byte, not an adversary.
std::uint32_t checksum(std::string_view bytes) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 16777619u;
  }
  return hash;
}

// Filler varies with the sequence number so a body swapped with another's fails the checksum.
void append_filler(std::string& body, std::uint64_t seq, std::size_t count) {
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uint64_t state = seq * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    body.push_back(kAlphabet[state % kAlphabet.size()]);
  }
}

void append_hex(std::string& out, std::uint64_t value, std::size_t digits) {
  char text[kHexU64];
  for (std::size_t i = digits; i-- > 0;) {
    text[i] = "0123456789abcdef"[value & 0xF];
    value >>= 4;
  }
  out.append(text, digits);
}

template <typename Unsigned>
std::optional<Unsigned> parse_hex(std::string_view text) {
  Unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string make_body(const Stamp& stamp) {
  std::string body;
  body.reserve(kBodyBytes);
  body += kSeqTag;
  append_hex(body, stamp.seq, kHexU64);
  body += kSentTag;
  append_hex(body, stamp.sent_ns, kHexU64);
  body += ' ';
  append_filler(body, stamp.seq, kCheckedBytes - kHeaderBytes);
  const std::uint32_t sum = checksum(body);
  body += kSumTag;
  append_hex(body, sum, kHexU32);
  return body;
}

std::optional<Stamp> read_body(std::string_view body) {
  if (body.size() != kBodyBytes) return std::nullopt;
  if (!body.starts_with(kSeqTag)) return std::nullopt;
  std::string_view checked = body.substr(0, kCheckedBytes);
  std::string_view trailer = body.substr(kCheckedBytes);
  if (!trailer.starts_with(kSumTag)) return std::nullopt;
  auto sum = parse_hex<std::uint32_t>(trailer.substr(kSumTag.size()));
  if (!sum || *sum != checksum(checked)) return std::nullopt;

  std::string_view rest = checked.substr(kSeqTag.size());
  auto seq = parse_hex<std::uint64_t>(rest.substr(0, kHexU64));
  rest.remove_prefix(kHexU64);
  if (!rest.starts_with(kSentTag)) return std::nullopt;
  rest.remove_prefix(kSentTag.size());
  auto sent = parse_hex<std::uint64_t>(rest.substr(0, kHexU64));
  if (!seq || !sent) return std::nullopt;
  return Stamp{*seq, *sent};
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

}  // namespace bench
