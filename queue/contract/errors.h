// The error codes Queue answers with, in {"error":{"code","message","request_id"}}.
//
// Public so Raptor (and clients written against it) can tell Queue's failures apart
// without parsing messages. A code always comes with the same HTTP status.
#pragma once

#include <optional>
#include <string_view>

namespace queue::contract {

enum class ErrorCode {
  invalid_request,         // 400: malformed JSON, bad field, bad queue name
  unauthorized,            // 401: missing or unknown token
  forbidden,               // 403: token lacks the scope
  not_found,               // 404: no such route
  queue_not_found,         // 404: no such queue
  message_not_found,       // 404: no such message in the queue (looked up by id)
  method_not_allowed,      // 405: known path, other method (with Allow)
  conflict,                // 409: e.g. a queue's fifo attribute would change
  payload_too_large,       // 413
  unsupported_media_type,  // 415: body is not application/json
  headers_too_large,       // 431
  internal_error,          // 500: a bug; the request id finds it in the logs
  unavailable,             // 503: Queue is starting or its storage is down (with Retry-After)
  receipt_invalid,         // per receipt in ack/visibility answers: malformed, stale (lease lost) or acked
  deadline_exceeded,       // a client's own: the call's deadline passed before an answer came
};

inline constexpr ErrorCode all_error_codes[] = {
    ErrorCode::invalid_request,    ErrorCode::unauthorized,      ErrorCode::forbidden,
    ErrorCode::not_found,          ErrorCode::queue_not_found,   ErrorCode::method_not_allowed,
    ErrorCode::conflict,           ErrorCode::payload_too_large, ErrorCode::unsupported_media_type,
    ErrorCode::headers_too_large,  ErrorCode::internal_error,    ErrorCode::unavailable,
    ErrorCode::receipt_invalid,    ErrorCode::deadline_exceeded, ErrorCode::message_not_found,
};

constexpr std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request: return "invalid_request";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::queue_not_found: return "queue_not_found";
    case ErrorCode::message_not_found: return "message_not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media_type: return "unsupported_media_type";
    case ErrorCode::headers_too_large: return "request_header_fields_too_large";
    case ErrorCode::internal_error: return "internal_error";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::receipt_invalid: return "receipt_invalid";
    case ErrorCode::deadline_exceeded: return "deadline_exceeded";
  }
  return "internal_error";
}

constexpr int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_request: return 400;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::queue_not_found: return 404;
    case ErrorCode::message_not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::headers_too_large: return 431;
    case ErrorCode::internal_error: return 500;
    case ErrorCode::unavailable: return 503;
    // Never a whole answer's status: a receipt's fate inside a 200, as a request a 400.
    case ErrorCode::receipt_invalid: return 400;
    // Never sent by Queue; the status a gateway would give a call that ran out of time.
    case ErrorCode::deadline_exceeded: return 504;
  }
  return 500;
}

constexpr std::optional<ErrorCode> parse_error_code(std::string_view text) {
  for (ErrorCode code : all_error_codes) {
    if (to_string(code) == text) return code;
  }
  return std::nullopt;
}

}  // namespace queue::contract
