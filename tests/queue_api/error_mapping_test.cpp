// Every failure the service can report reaches the client with a status of its own
// in Queue's vocabulary, and receipt_invalid never fails a whole request silently.
#include <gtest/gtest.h>

#include "queue/api/errors.h"

namespace queue::api {
namespace {

TEST(ErrorMapping, EveryCoreCodeHasItsStatus) {
  struct Case {
    core::ErrorCode code;
    int status;
    std::string_view wire;
  };
  const Case cases[] = {
      {core::ErrorCode::invalid_request, 400, "invalid_request"},
      {core::ErrorCode::queue_not_found, 404, "queue_not_found"},
      {core::ErrorCode::conflict, 409, "conflict"},
      {core::ErrorCode::payload_too_large, 413, "payload_too_large"},
      {core::ErrorCode::receipt_invalid, 400, "invalid_request"},
      {core::ErrorCode::unavailable, 503, "unavailable"},
      {core::ErrorCode::internal, 500, "internal_error"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(core::to_string(c.code)));
    web::Error error = to_http_error(core::Error{c.code, "why"});
    EXPECT_EQ(error.status, c.status);
    EXPECT_EQ(error.code, c.wire);
    EXPECT_EQ(error.message, "why");
  }
  web::Error unavailable = to_http_error(core::Error{core::ErrorCode::unavailable, "busy"});
  ASSERT_EQ(unavailable.headers.size(), 1u);
  EXPECT_EQ(unavailable.headers[0].first, "Retry-After");
}

}  // namespace
}  // namespace queue::api
