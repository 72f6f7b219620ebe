#include "queue/core/receipts.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace queue::core {
namespace {

constexpr std::size_t hex_digits = 16;

void append_hex(std::string& out, std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(digits[(value >> shift) & 0xf]);
}

std::optional<std::uint64_t> parse_hex(std::string_view text) {
  std::uint64_t value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else return std::nullopt;
    value = (value << 4) | static_cast<std::uint64_t>(digit);
  }
  return value;
}

}  // namespace

std::string encode_receipt(const LeaseRef& lease) {
  std::string out;
  out.reserve(2 * hex_digits);
  append_hex(out, static_cast<std::uint64_t>(lease.message_id));
  append_hex(out, lease.lease_token);
  return out;
}

std::optional<LeaseRef> decode_receipt(std::string_view receipt) {
  if (receipt.size() != 2 * hex_digits) return std::nullopt;
  auto id = parse_hex(receipt.substr(0, hex_digits));
  auto token = parse_hex(receipt.substr(hex_digits));
  if (!id || !token || *token == 0) return std::nullopt;
  auto message_id = static_cast<std::int64_t>(*id);
  if (message_id <= 0) return std::nullopt;
  return LeaseRef{message_id, *token};
}

std::uint64_t LeaseTokenGenerator::next() {
  for (;;) {
    if (used_ == std::size(buffer_)) {
      auto* bytes = reinterpret_cast<char*>(buffer_);
      std::size_t filled = 0;
      while (filled < sizeof(buffer_)) {
        ssize_t n = getrandom(bytes + filled, sizeof(buffer_) - filled, 0);
        if (n < 0) {
          if (errno == EINTR) continue;
          throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(n);
      }
      used_ = 0;
    }
    std::uint64_t token = buffer_[used_++];
    if (token != 0) return token;
  }
}

}  // namespace queue::core
