// Raptor's release, reported by GET /api/v1/raptor/version.
#pragma once

#include <string_view>

namespace raptor {

inline constexpr std::string_view version = "2.0.0-dev";

}  // namespace raptor
