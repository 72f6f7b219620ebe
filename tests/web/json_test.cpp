#include "web/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace web {
namespace {

TEST(Json, ResponseIsSerializedWithContentType) {
  Response response = json(201, {{"id", 7}, {"name", "q"}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(response.body), boost::json::parse(R"({"id":7,"name":"q"})"));
}

TEST(Json, ErrorBodyShapeAndHeaders) {
  Error error{503, codes::unavailable, "storage is down", {{"Retry-After", "2"}}};
  Response response = json_error(error, "req-9");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.header("Retry-After"), "2");
  EXPECT_EQ(boost::json::parse(response.body),
            boost::json::parse(R"({"error":{"code":"unavailable","message":"storage is down","request_id":"req-9"}})"));
}

TEST(Json, ParseBodyAcceptsJsonAndRejectsTheRestWith400) {
  Request good("POST", "/", {}, R"({"a":[1,2]})");
  EXPECT_EQ(parse_json_object_body(good).at("a").as_array().size(), 2u);
  EXPECT_EQ(parse_json_body(Request("POST", "/", {}, "[1]")).as_array().size(), 1u);

  for (const char* bad : {"", "{", "nope", R"({"a":1} trailing)"}) {
    try {
      parse_json_body(Request("POST", "/", {}, bad));
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const HttpError& e) {
      EXPECT_EQ(e.error().status, 400) << bad;
      EXPECT_EQ(e.error().code, codes::bad_request);
    }
  }
  EXPECT_THROW(parse_json_object_body(Request("POST", "/", {}, "[1]")), HttpError);
}

}  // namespace
}  // namespace web
