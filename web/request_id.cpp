#include "web/request_id.h"

#include <random>

namespace web::detail {
namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return rng;
}

}  // namespace

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

std::string generate_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  auto& rng = thread_rng();
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (std::size_t i = 0; i < 16; ++i) {
      id[half * 16 + i] = kHex[bits & 0xf];
      bits >>= 4;
    }
  }
  return id;
}

std::string request_id_for(std::optional<std::string_view> incoming) {
  if (incoming && is_valid_request_id(*incoming)) return std::string(*incoming);
  return generate_request_id();
}

}  // namespace web::detail
