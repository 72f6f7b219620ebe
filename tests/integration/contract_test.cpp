// queue/contract: the public vocabulary Raptor and clients rely on stays consistent.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "queue/contract/errors.h"
#include "queue/contract/version.h"

namespace {

using queue::contract::ErrorCode;

TEST(Contract, EveryErrorCodeRoundTripsThroughItsWireName) {
  std::set<std::string> names;
  for (ErrorCode code : queue::contract::all_error_codes) {
    std::string name(queue::contract::to_string(code));
    EXPECT_TRUE(names.insert(name).second) << name << " is used twice";
    EXPECT_EQ(queue::contract::parse_error_code(name), code) << name;
  }
  EXPECT_FALSE(queue::contract::parse_error_code("bad_request").has_value()) << "web/'s name, not Queue's";
  EXPECT_FALSE(queue::contract::parse_error_code("").has_value());
}

TEST(Contract, StatusesMatchTheApiDocument) {
  using queue::contract::http_status;
  EXPECT_EQ(http_status(ErrorCode::invalid_request), 400);
  EXPECT_EQ(http_status(ErrorCode::unauthorized), 401);
  EXPECT_EQ(http_status(ErrorCode::forbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::queue_not_found), 404);
  EXPECT_EQ(http_status(ErrorCode::conflict), 409);
  EXPECT_EQ(http_status(ErrorCode::payload_too_large), 413);
  EXPECT_EQ(http_status(ErrorCode::unsupported_media_type), 415);
  EXPECT_EQ(http_status(ErrorCode::unavailable), 503);
  EXPECT_EQ(http_status(ErrorCode::internal_error), 500);
  for (ErrorCode code : queue::contract::all_error_codes) {
    EXPECT_GE(http_status(code), 400);
    EXPECT_LE(http_status(code), 599);
  }
}

TEST(Contract, QueueIsMountedAtItsVersionedPrefix) {
  EXPECT_EQ(queue::contract::api_mount_prefix, "/api/" + std::string(queue::contract::api_version));
}

}  // namespace
