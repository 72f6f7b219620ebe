// Error codes every layer agrees on, and Result<T>: a value or an Error.
//
// The codes are the product's vocabulary (the HTTP layer maps them to statuses:
// invalid_request 400, queue_not_found 404, conflict 409, payload_too_large 413,
// unavailable 503, internal 500); `receipt_invalid` appears per receipt inside ack
// and visibility answers. C++20 has no std::expected, so Result is a deliberately
// tiny variant wrapper: check ok(), then read value() or error().
#pragma once

#include <cassert>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "queue/contract/errors.h"

namespace queue::core {

enum class ErrorCode {
  invalid_request,
  queue_not_found,
  message_not_found,
  conflict,
  payload_too_large,
  receipt_invalid,
  unavailable,
  internal,
};

// The wire name of a code: "invalid_request", "queue_not_found", ...
std::string_view to_string(ErrorCode code);

// The public code a failed call answers with, the same over every transport (the
// HTTP layer's to_http_error and the in-process client both use it). receipt_invalid
// fails a whole call only as a bad request; per receipt (ack, visibility) it stays
// receipt_invalid.
contract::ErrorCode public_code(ErrorCode code);

// How long a client should wait after the service itself answered `unavailable`
// (a failed commit, shutdown under way): the next attempt may well succeed.
inline constexpr std::chrono::seconds unavailable_retry_after{1};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // for humans; safe to show to the client (no secrets, no SQL)
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// For operations whose success carries no value.
struct Done {};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace queue::core
