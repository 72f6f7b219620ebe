#include "queue/core/errors.h"

namespace queue::core {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request: return "invalid_request";
    case ErrorCode::queue_not_found: return "queue_not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::receipt_invalid: return "receipt_invalid";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace queue::core
