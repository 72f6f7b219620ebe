// Receipts: the opaque handle a consumer gets with each delivery.
//
// A receipt is 32 lowercase hex digits: the message id (16) and the lease token
// (16). The token is 64 random bits from the kernel's CSPRNG, replaced at every
// delivery, so a receipt cannot be forged or reused: the store accepts it only
// while that exact token is the message's current, unexpired lease. Nothing in the
// receipt is trusted beyond "which message, which lease".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "queue/core/store.h"

namespace queue::core {

std::string encode_receipt(const LeaseRef& lease);
// nullopt for anything that is not a well-formed receipt.
std::optional<LeaseRef> decode_receipt(std::string_view receipt);

// Unguessable, never 0. Buffers the kernel's random bytes so a lease costs no syscall.
// Not thread-safe: the engine thread owns one.
class LeaseTokenGenerator {
 public:
  std::uint64_t next();

 private:
  std::uint64_t buffer_[64] = {};
  std::size_t used_ = 64;
};

}  // namespace queue::core
