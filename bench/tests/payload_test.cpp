#include "bench/payload.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(Payload, RoundTripsSequenceAndTimestamp) {
  const Stamp stamp{123456789, 987654321012345};
  const std::string body = make_body(stamp);
  EXPECT_EQ(body.size(), kBodyBytes);
  EXPECT_EQ(read_body(body), stamp);
}

TEST(Payload, BodiesArePrintableSoEveryProtocolCarriesThemVerbatim) {
  for (unsigned char c : make_body({42, 7})) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << int(c);
}

TEST(Payload, EverySingleByteChangeIsDetected) {
  const std::string body = make_body({5, 1000});
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string damaged = body;
    damaged[i] = damaged[i] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(read_body(damaged)) << "byte " << i;
  }
}

TEST(Payload, TruncatedOrExtendedBodiesAreCorrupt) {
  const std::string body = make_body({5, 1000});
  EXPECT_FALSE(read_body(body.substr(0, kBodyBytes - 1)));
  EXPECT_FALSE(read_body(body + "x"));
  EXPECT_FALSE(read_body(""));
}

TEST(Payload, AnotherMessagesFillerFailsTheChecksum) {
  // Same length and shape, sequence number of one, the rest of another: must not pass.
  const std::string one = make_body({1, 1000});
  const std::string two = make_body({2, 1000});
  const std::string spliced = one.substr(0, 40) + two.substr(40);
  EXPECT_FALSE(read_body(spliced));
}

}  // namespace
}  // namespace bench
