// Receipt encoding and lease tokens.
#include "queue/core/receipts.h"

#include <gtest/gtest.h>

#include <set>

namespace queue::core {
namespace {

TEST(Receipts, RoundTrip) {
  LeaseRef lease{123456789, 0xfedcba9876543210ULL};
  std::string receipt = encode_receipt(lease);
  EXPECT_EQ(receipt.size(), 32u);
  auto decoded = decode_receipt(receipt);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->message_id, lease.message_id);
  EXPECT_EQ(decoded->lease_token, lease.lease_token);
}

TEST(Receipts, RejectsAnythingElse) {
  std::string good = encode_receipt(LeaseRef{7, 9});
  std::string upper = good;
  upper[31] = 'F';
  for (const std::string& bad : {std::string(), good.substr(1), good + "0", upper, std::string(32, 'z'),
                                 encode_receipt(LeaseRef{7, 0}), encode_receipt(LeaseRef{0, 9}),
                                 encode_receipt(LeaseRef{-1, 9})}) {
    EXPECT_FALSE(decode_receipt(bad)) << bad;
  }
}

TEST(Receipts, TokensAreNonZeroAndDistinct) {
  LeaseTokenGenerator tokens;
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    std::uint64_t token = tokens.next();
    EXPECT_NE(token, 0u);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace queue::core
