// The benchmark's message bodies: 256 printable bytes that carry a sequence
// number, the time the message was meant to be sent, and a checksum.
//
// The same body goes through every system unchanged (a JSON string, a Redis
// bulk string, a beanstalkd job), so the consumer can tell a duplicate (seen
// twice), a loss (never seen) and a corruption (checksum or shape wrong), and
// can measure send-to-receive latency without a side channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

inline constexpr std::size_t kBodyBytes = 256;

struct Stamp {
  std::uint64_t seq = 0;
  std::uint64_t sent_ns = 0;  // steady clock, same process: producers and consumers share it

  friend bool operator==(const Stamp&, const Stamp&) = default;
};

std::string make_body(const Stamp& stamp);

// The stamp of a well-formed body; nullopt for a body that is corrupt in any way.
std::optional<Stamp> read_body(std::string_view body);

// Nanoseconds on the steady clock: the time base of Stamp::sent_ns.
std::uint64_t now_ns();

}  // namespace bench
