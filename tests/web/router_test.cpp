// Route matching, parameters, 404 and 405, through App::dispatch.
#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

#include "tests/web/dispatch.h"
#include "web/app.h"
#include "web/json.h"

namespace web {
namespace {

using testing::call;

// Echoes which route answered and its parameters.
Handler echo(std::string name) {
  return [name](Request& request) {
    boost::json::object body{{"route", name}, {"path", request.path()}};
    for (const char* param : {"queue", "id"}) {
      if (!request.param(param).empty()) body[param] = request.param(param);
    }
    return json(200, body);
  };
}

std::string route_of(const Response& response) {
  return boost::json::value_to<std::string>(boost::json::parse(response.body).at("route"));
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    Blueprint queues("queues", "/queues");
    queues.route("GET", "", echo("list"));
    queues.route("POST", "", echo("create"));
    queues.route("GET", "/{queue}", echo("get"));
    queues.route("DELETE", "/{queue}", echo("delete"));
    queues.route("GET", "/stats", echo("stats"));  // a literal beats {queue} whatever the order
    queues.route("GET", "/{queue}/messages/{id}", echo("message"));
    app.register_blueprint(std::move(queues), "/api/v1");

    Blueprint root("root");
    root.route("GET", "/", echo("root"));
    root.route("GET", "/healthz", echo("health"));
    app.register_blueprint(std::move(root));
  }
  App app{"test", Config()};
};

TEST_F(RouterTest, MatchesLiteralsAndParams) {
  EXPECT_EQ(route_of(call(app, "GET", "/api/v1/queues")), "list");
  EXPECT_EQ(route_of(call(app, "POST", "/api/v1/queues")), "create");
  EXPECT_EQ(route_of(call(app, "GET", "/api/v1/queues/orders")), "get");
  EXPECT_EQ(route_of(call(app, "DELETE", "/api/v1/queues/orders")), "delete");
  EXPECT_EQ(route_of(call(app, "GET", "/api/v1/queues/stats")), "stats");
  EXPECT_EQ(route_of(call(app, "GET", "/")), "root");
  EXPECT_EQ(route_of(call(app, "GET", "/healthz")), "health");
}

TEST_F(RouterTest, ParamsArePercentDecodedSegments) {
  auto body = boost::json::parse(call(app, "GET", "/api/v1/queues/a%2Fb%20c/messages/42").body);
  EXPECT_EQ(body.at("route"), "message");
  EXPECT_EQ(body.at("queue"), "a/b c");  // %2F stays inside its segment
  EXPECT_EQ(body.at("id"), "42");
}

TEST_F(RouterTest, UnknownPathsAre404) {
  for (const char* target : {"/nope", "/api/v1/queues/a/b", "/api/v1/queuesx", "/api/v1", "/api/v1/queues/"}) {
    Response response = call(app, "GET", target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(boost::json::parse(response.body).at("error").at("code"), "not_found") << target;
  }
}

TEST_F(RouterTest, TrailingSlashIsStrict) {
  EXPECT_EQ(call(app, "GET", "/healthz/").status, 404);
  EXPECT_EQ(call(app, "GET", "/healthz").status, 200);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response response = call(app, "PUT", "/api/v1/queues/orders");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "DELETE, GET, HEAD");
  EXPECT_EQ(boost::json::parse(response.body).at("error").at("code"), "method_not_allowed");

  EXPECT_EQ(call(app, "DELETE", "/api/v1/queues").header("Allow"), "GET, HEAD, POST");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  EXPECT_EQ(route_of(call(app, "HEAD", "/healthz")), "health");
}

TEST_F(RouterTest, QueryDoesNotAffectMatching) {
  EXPECT_EQ(route_of(call(app, "GET", "/api/v1/queues/orders?wait=20")), "get");
}

TEST_F(RouterTest, RouteListShowsFullPatterns) {
  std::vector<std::string> routes = app.route_list();
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /api/v1/queues"), routes.end());
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /api/v1/queues/{queue}/messages/{id}"), routes.end());
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /"), routes.end());
  EXPECT_EQ(routes.size(), 8u);
}

TEST(RouterPrefixes, SlashesInPrefixesAreNormalized) {
  App app("test", Config());
  Blueprint bp("bp", "queues/");
  bp.route("GET", "{queue}", echo("get"));
  app.register_blueprint(std::move(bp), "/api/v1/");
  EXPECT_EQ(route_of(call(app, "GET", "/api/v1/queues/q")), "get");
  EXPECT_EQ(app.route_list(), std::vector<std::string>{"GET /api/v1/queues/{queue}"});
}

}  // namespace
}  // namespace web
