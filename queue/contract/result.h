// Error and Result<T>: how every call of the contract answers.
//
// C++20 has no std::expected, so Result is a small variant: check ok(), then read
// value() or error(). The error carries what a caller needs to decide what to do
// next without parsing text: the code (errors.h), the request id that finds the
// call in Queue's logs, and for `unavailable` how long to wait before trying again.
#pragma once

#include <cassert>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "queue/contract/errors.h"

namespace queue::contract {

struct Error {
  ErrorCode code = ErrorCode::internal_error;
  std::string message;
  std::string request_id;                         // empty when the call never reached Queue
  std::optional<std::chrono::seconds> retry_after;  // with `unavailable`: when to try again

  // Worth trying again as is, later: the service or the network was unavailable, or
  // time ran out. Everything else will fail the same way until the request changes.
  bool transient() const {
    return code == ErrorCode::unavailable || code == ErrorCode::deadline_exceeded;
  }
};

struct Done {};  // the value of a call whose success carries none

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

  // As std::optional and std::expected: *result and result->field read the value.
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace queue::contract
