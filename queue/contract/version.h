// Queue's API version and where its blueprints are mounted: the same in Raptor
// (Phase 1, ADR-0066) and in the standalone queue-server (Phase 4), so clients
// never see the paths move.
#pragma once

#include <string_view>

namespace queue::contract {

inline constexpr std::string_view api_version = "v1";
inline constexpr std::string_view api_mount_prefix = "/api/v1";

}  // namespace queue::contract
