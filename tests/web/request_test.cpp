#include "web/request.h"

#include <gtest/gtest.h>

#include <set>

#include "web/error.h"
#include "web/request_id.h"

namespace web {
namespace {

TEST(Request, DecodesPathSegmentsAndQuery) {
  Request request("GET", "/queues/a%20b/x%2Fy?limit=10&name=caf%C3%A9&name=second&flag&plus=a+b", {}, "");
  EXPECT_EQ(request.path(), "/queues/a b/x/y");
  EXPECT_EQ(request.segments(), (std::vector<std::string>{"queues", "a b", "x/y"}));
  EXPECT_EQ(request.query("limit"), "10");
  EXPECT_EQ(request.query("name"), "caf\xC3\xA9");  // the first value
  EXPECT_EQ(request.query("flag"), "");
  EXPECT_EQ(request.query("plus"), "a b");
  EXPECT_EQ(request.query("missing"), std::nullopt);
}

TEST(Request, RootAndTrailingSlashSegments) {
  EXPECT_TRUE(Request("GET", "/", {}, "").segments().empty());
  EXPECT_EQ(Request("GET", "/x/", {}, "").segments(), (std::vector<std::string>{"x", ""}));
}

TEST(Request, InvalidTargetIsA400) {
  for (const char* target : {"", "no-slash", "http://host/absolute", "/bad%zz", "*"}) {
    try {
      Request request("GET", target, {}, "");
      ADD_FAILURE() << "accepted " << target;
    } catch (const HttpError& e) {
      EXPECT_EQ(e.error().status, 400) << target;
      EXPECT_EQ(e.error().code, codes::bad_request);
    }
  }
}

TEST(Request, HeadersAreCaseInsensitive) {
  Request request("GET", "/", {{"Content-Type", "application/json"}}, "");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("Accept"), std::nullopt);
}

TEST(RequestId, ValidIdsAreHonouredOthersReplaced) {
  EXPECT_EQ(detail::request_id_for(std::string_view("abc-123_x.y:z")), "abc-123_x.y:z");
  std::string longest(128, 'a');
  EXPECT_EQ(detail::request_id_for(std::string_view(longest)), longest);
  for (std::string bad : {std::string(), std::string(129, 'a'), std::string("has space"), std::string("semi;colon"),
                          std::string("new\nline"), std::string("ünï")}) {
    std::string id = detail::request_id_for(std::string_view(bad));
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 32u);
  }
  EXPECT_EQ(detail::request_id_for(std::nullopt).size(), 32u);
}

TEST(RequestId, GeneratedIdsAreHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = detail::generate_request_id();
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace web
