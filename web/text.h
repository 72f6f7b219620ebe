// Small string helpers shared by web/'s sources (private to web/).
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace web::text {

// ASCII case-insensitive equality, as HTTP field names compare.
inline bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace web::text
