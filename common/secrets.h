// Comparing secrets (bearer tokens) without saying, through the time taken, how much
// of a guess was right.
#pragma once

#include <string_view>

namespace common {

// glibc has no timing-safe comparison, and OpenSSL's would be a dependency for
// eight lines. The loop always runs over the whole presented token and never exits
// early, so the time taken says nothing about how many leading bytes matched.
inline bool constant_time_equal(std::string_view presented, std::string_view expected) {
  unsigned char difference = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    unsigned char e = expected.empty() ? 0 : static_cast<unsigned char>(expected[i % expected.size()]);
    difference |= static_cast<unsigned char>(presented[i]) ^ e;
  }
  return difference == 0;
}

}  // namespace common
