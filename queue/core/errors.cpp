#include "queue/core/errors.h"

namespace queue::core {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request: return "invalid_request";
    case ErrorCode::queue_not_found: return "queue_not_found";
    case ErrorCode::message_not_found: return "message_not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::receipt_invalid: return "receipt_invalid";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

contract::ErrorCode public_code(ErrorCode code) {
  using contract::ErrorCode;
  switch (code) {
    case core::ErrorCode::invalid_request: return ErrorCode::invalid_request;
    case core::ErrorCode::queue_not_found: return ErrorCode::queue_not_found;
    case core::ErrorCode::message_not_found: return ErrorCode::message_not_found;
    case core::ErrorCode::conflict: return ErrorCode::conflict;
    case core::ErrorCode::payload_too_large: return ErrorCode::payload_too_large;
    case core::ErrorCode::receipt_invalid: return ErrorCode::invalid_request;
    case core::ErrorCode::unavailable: return ErrorCode::unavailable;
    case core::ErrorCode::internal: return ErrorCode::internal_error;
  }
  return ErrorCode::internal_error;
}

}  // namespace queue::core
