// Request ids: one per request, echoed in X-Request-ID and every log line about it (private to web/).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace web::detail {

// 1..128 characters of [A-Za-z0-9._:-]: what we accept from a client or an upstream router.
bool is_valid_request_id(std::string_view id);
// 32 lowercase hex characters from a per-thread 64-bit Mersenne Twister seeded by random_device.
std::string generate_request_id();
// The incoming id when it is valid, else a fresh one.
std::string request_id_for(std::optional<std::string_view> incoming);

}  // namespace web::detail
