// Error ownership, hooks and exceptions, through App::dispatch.
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

// An error handler that says which blueprint formatted the error.
ErrorHandler tagged(std::string tag) {
  return [tag](const Request& request, const Error& error) {
    return json(error.status, {{"by", tag}, {"code", error.code}, {"message", error.message},
                               {"request_id", request.request_id()}});
  };
}

std::string formatted_by(const Response& response) {
  auto body = boost::json::parse(response.body).as_object();
  if (body.contains("by")) return boost::json::value_to<std::string>(body.at("by"));
  return body.contains("error") ? "app-default" : "?";
}

class OwnershipTest : public ::testing::Test {
 protected:
  OwnershipTest() {
    Blueprint queues("queues", "/queues");
    queues.route("GET", "/{queue}", [](Request&) { return Response::text(200, "q"); });
    queues.route("GET", "/{queue}/boom", [](Request&) -> Response { throw std::runtime_error("disk on fire"); });
    queues.route("GET", "/{queue}/teapot",
                 [](Request&) -> Response { throw HttpError(418, "teapot", "short and stout", {{"X-Tea", "earl"}}); });
    queues.error_handler(tagged("queues"));
    app.register_blueprint(std::move(queues), "/api/v1");

    Blueprint admin("admin", "/admin");  // no error handler of its own: the app's formats
    admin.route("GET", "/users", [](Request&) { return Response::text(200, "users"); });
    app.register_blueprint(std::move(admin), "/api/v1");

    Blueprint api("api", "/api");
    api.route("GET", "/version", [](Request&) { return Response::text(200, "1"); });
    api.error_handler(tagged("api"));
    app.register_blueprint(std::move(api));

    Blueprint root("root");  // mounted at "": owns only its exact routes
    root.route("GET", "/healthz", [](Request&) -> Response { throw std::runtime_error("unhealthy"); });
    root.error_handler(tagged("root"));
    app.register_blueprint(std::move(root));
  }
  App app{"test", Config()};
};

TEST_F(OwnershipTest, LongestSegmentPrefixOwnsTheError) {
  EXPECT_EQ(formatted_by(call(app, "GET", "/api/v1/queues/q/x/y")), "queues");
  EXPECT_EQ(formatted_by(call(app, "GET", "/api/v1/queues")), "queues");  // the prefix itself
  EXPECT_EQ(formatted_by(call(app, "GET", "/api/v1/queuesx")), "api");   // not a segment boundary
  EXPECT_EQ(formatted_by(call(app, "GET", "/api/other")), "api");
  EXPECT_EQ(formatted_by(call(app, "GET", "/elsewhere")), "app-default");
  EXPECT_EQ(formatted_by(call(app, "GET", "/apix")), "app-default");
}

TEST_F(OwnershipTest, MethodNotAllowedIsFormattedByTheOwner) {
  Response response = call(app, "POST", "/api/v1/queues/q");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(formatted_by(response), "queues");
  EXPECT_EQ(response.header("Allow"), "GET, HEAD");  // kept even though the handler did not set it
  EXPECT_EQ(formatted_by(call(app, "POST", "/healthz")), "root");
}

TEST_F(OwnershipTest, OwnerWithoutErrorHandlerFallsBackToTheApp) {
  Response response = call(app, "GET", "/api/v1/admin/nope");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(formatted_by(response), "app-default");
}

TEST_F(OwnershipTest, EmptyPrefixBlueprintDoesNotOwnEverything) {
  EXPECT_EQ(formatted_by(call(app, "GET", "/healthz/x")), "app-default");
}

TEST_F(OwnershipTest, ExceptionBecomesOwnersGeneric500) {
  Response response = call(app, "GET", "/api/v1/queues/q/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(formatted_by(response), "queues");
  EXPECT_EQ(response.body.find("disk on fire"), std::string::npos);  // no leak of the exception text
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "internal_error");
  EXPECT_EQ(body.at("request_id").as_string(), *response.header("X-Request-ID"));

  EXPECT_EQ(formatted_by(call(app, "GET", "/healthz")), "root");
  EXPECT_EQ(call(app, "GET", "/api/v1/queues/q").status, 200);  // and life goes on
}

TEST_F(OwnershipTest, HttpErrorKeepsItsStatusCodeMessageAndHeaders) {
  Response response = call(app, "GET", "/api/v1/queues/q/teapot");
  EXPECT_EQ(response.status, 418);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "teapot");
  EXPECT_EQ(body.at("message"), "short and stout");
  EXPECT_EQ(response.header("X-Tea"), "earl");
}

TEST_F(OwnershipTest, ErrorResponseForUnroutedFailuresUsesTheOwner) {
  Request request("POST", "/api/v1/queues/q/messages", {}, "");
  request.set_request_id("req-1");
  Response response = app.error_response(request, Error{413, codes::payload_too_large, "too big", {}});
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(formatted_by(response), "queues");
  EXPECT_EQ(response.header("X-Request-ID"), "req-1");

  Request unknown;
  unknown.set_request_id("req-2");
  Response fallback = app.error_response(unknown, Error{400, codes::bad_request, "malformed", {}});
  auto body = boost::json::parse(fallback.body);
  EXPECT_EQ(body.at("error").at("code"), "bad_request");
  EXPECT_EQ(body.at("error").at("request_id"), "req-2");
}

TEST(AppErrors, ThrowingErrorHandlerFallsBackToPlainJson500) {
  App app("test", Config());
  Blueprint bp("bad", "/bad");
  bp.error_handler([](const Request&, const Error&) -> Response { throw std::runtime_error("handler broke"); });
  app.register_blueprint(std::move(bp));
  Response response = call(app, "GET", "/bad/nope");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(boost::json::parse(response.body).at("error").at("code"), "internal_error");
  EXPECT_TRUE(response.header("X-Request-ID").has_value());
}

TEST(AppErrors, CustomAppErrorHandler) {
  App app("test", Config());
  app.error_handler(tagged("custom-app"));
  EXPECT_EQ(formatted_by(call(app, "GET", "/x")), "custom-app");
}

TEST(AppRequestId, IncomingIdIsHonouredOrReplaced) {
  App app("test", Config());
  EXPECT_EQ(call(app, "GET", "/x", "", {{"X-Request-ID", "upstream-42"}}).header("X-Request-ID"), "upstream-42");
  auto replaced = call(app, "GET", "/x", "", {{"X-Request-ID", "bad id!"}}).header("X-Request-ID");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->size(), 32u);
}

class HooksTest : public ::testing::Test {
 protected:
  void build() {
    Blueprint bp("hooks", "/h");
    bp.before_request([this](Request&) -> std::optional<Response> {
      trace.push_back("before1");
      return std::nullopt;
    });
    bp.before_request([this](Request& request) -> std::optional<Response> {
      trace.push_back("before2");
      if (request.header("X-Deny")) return Response::text(403, "denied");
      if (request.header("X-Throw")) throw std::runtime_error("hook failed");
      return std::nullopt;
    });
    bp.after_request([this](const Request&, Response& response) {
      trace.push_back("after1");
      response.set_header("X-After", "1");
    });
    bp.after_request([this](const Request&, Response&) { trace.push_back("after2"); });
    bp.route("GET", "/ok", [this](Request&) {
      trace.push_back("handler");
      return Response::text(200, "ok");
    });
    bp.route_async("GET", "/async", [this](Request&, Responder responder) {
      trace.push_back("handler");
      parked = responder;
    });
    app.register_blueprint(std::move(bp));
  }
  App app{"test", Config()};
  std::vector<std::string> trace;
  std::optional<Responder> parked;
};

TEST_F(HooksTest, RunInOrderAroundTheHandler) {
  build();
  Response response = call(app, "GET", "/h/ok");
  EXPECT_EQ(trace, (std::vector<std::string>{"before1", "before2", "handler", "after1", "after2"}));
  EXPECT_EQ(response.header("X-After"), "1");
}

TEST_F(HooksTest, BeforeHookResponseShortCircuitsTheHandler) {
  build();
  Response response = call(app, "GET", "/h/ok", "", {{"X-Deny", "1"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(trace, (std::vector<std::string>{"before1", "before2", "after1", "after2"}));
}

TEST_F(HooksTest, ThrowingBeforeHookIsA500ThroughAfterHooks) {
  build();
  Response response = call(app, "GET", "/h/ok", "", {{"X-Throw", "1"}});
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.header("X-After"), "1");
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "handler"), 0);
}

TEST_F(HooksTest, AfterHooksRunOnErrorAndAsyncResponses) {
  build();
  EXPECT_EQ(call(app, "GET", "/h/missing").header("X-After"), "1");  // the blueprint's own 404

  std::optional<Response> answer;
  auto request = std::make_shared<Request>("GET", "/h/async", Request::Headers{}, "");
  app.dispatch(request, [&](Response response) { answer = std::move(response); });
  EXPECT_FALSE(answer.has_value());
  parked->send(Response::text(200, "later"));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->header("X-After"), "1");
  EXPECT_EQ(answer->header("X-Request-ID"), request->request_id());
}

TEST(AppShutdown, RunsEveryOnShutdownHookOnceEvenIfOneThrows) {
  App app("test", Config());
  int runs = 0;
  Blueprint first("first");
  first.on_shutdown([] { throw std::runtime_error("first failed"); });
  Blueprint second("second");
  second.on_shutdown([&] { ++runs; });
  app.register_blueprint(std::move(first));
  app.register_blueprint(std::move(second));
  app.shutdown();
  app.shutdown();
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace web
