// One GET /metrics per process (ADR-0066, issue 12): Raptor with Queue mounted shows
// Raptor's series and Queue's in one scrape, under Queue's access rules; Raptor
// without Queue serves its own, to loopback or to RAPTOR_METRICS_TOKEN only.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backend_v2/api/app_factory.h"
#include "tests/integration/in_process.h"
#include "tests/integration/raptor_env.h"
#include "tests/integration/temp_dir.h"
#include "web/config.h"

namespace {

using test_support::dispatch;
using test_support::json_of;
using test_support::raptor_environment;
using test_support::TempDir;
using test_support::wait_for_status;

web::Response scrape(const web::App& app, const std::string& from, web::Request::Headers headers = {}) {
  auto request = std::make_shared<web::Request>("GET", "/metrics", std::move(headers), "");
  request->set_remote_address(from);
  return dispatch(app, std::move(request));
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST(RaptorMetrics, WithQueueMountedOneScrapeShowsRaptorsSeriesAndQueues) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, true));
  ASSERT_TRUE(wait_for_status(*app, "/api/v1/queue/readyz", 200));
  ASSERT_EQ(dispatch(*app, "GET", "/healthz").status, 200);
  ASSERT_EQ(dispatch(*app, "GET", "/healthz").status, 200);

  web::Response response = scrape(*app, "127.0.0.1");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = response.body;
  EXPECT_NE(text.find("raptor_info{version=\"2.0.0-dev\",queue_mode=\"in_process\"} 1\n"), std::string::npos) << text;
  // Raptor's requests by route pattern, beside Queue's own.
  EXPECT_NE(text.find("raptor_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("raptor_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("queue_http_requests_total{route=\"/api/v1/queue/readyz\",method=\"GET\",status=\"200\"}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("queue_up 1\n"), std::string::npos) << text;
  // Each family once: the one scrape is not two expositions glued together.
  EXPECT_EQ(occurrences(text, "# TYPE raptor_info "), 1u);
  EXPECT_EQ(occurrences(text, "# TYPE queue_up "), 1u);
  // Raptor's requests are not counted as Queue's, nor Queue's as Raptor's.
  EXPECT_EQ(text.find("queue_http_requests_total{route=\"/healthz\""), std::string::npos) << text;
  EXPECT_EQ(text.find("raptor_http_requests_total{route=\"/api/v1/queue"), std::string::npos) << text;
}

TEST(RaptorMetrics, WithoutQueueRaptorServesItsOwnToLoopbackOnly) {
  TempDir dir;
  auto app = raptor::api::create_app(raptor_environment(dir, false));
  ASSERT_EQ(dispatch(*app, "GET", "/healthz").status, 200);

  web::Response local = scrape(*app, "127.0.0.1");
  ASSERT_EQ(local.status, 200) << local.body;
  EXPECT_NE(local.body.find("raptor_info{version=\"2.0.0-dev\",queue_mode=\"off\"} 1\n"), std::string::npos)
      << local.body;
  EXPECT_NE(local.body.find("raptor_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1\n"),
            std::string::npos)
      << local.body;
  EXPECT_EQ(local.body.find("# TYPE queue_"), std::string::npos) << "no Queue here, so no Queue series:\n" << local.body;
  EXPECT_EQ(scrape(*app, "::1").status, 200);

  web::Response remote = scrape(*app, "10.1.2.3");
  EXPECT_EQ(remote.status, 403);
  EXPECT_EQ(json_of(remote).at("error").at("type"), "forbidden") << remote.body;  // Raptor's error format
}

TEST(RaptorMetrics, RaptorsOwnScrapeAsksForRaptorMetricsTokenWhenSet) {
  TempDir dir;
  web::Config config = raptor_environment(dir, false);
  config.set("RAPTOR_METRICS_TOKEN", "s3cret-scrape");
  auto app = raptor::api::create_app(config);

  EXPECT_EQ(scrape(*app, "10.1.2.3").status, 401);
  EXPECT_EQ(scrape(*app, "127.0.0.1").status, 401);  // a token, once set, is asked of everyone
  EXPECT_EQ(scrape(*app, "10.1.2.3", {{"Authorization", "Bearer s3cret-scrapf"}}).status, 401);
  EXPECT_EQ(scrape(*app, "10.1.2.3", {{"Authorization", "Bearer s3cret"}}).status, 401);
  EXPECT_EQ(scrape(*app, "10.1.2.3", {{"Authorization", "Bearer s3cret-scrape-and-more"}}).status, 401);
  web::Response granted = scrape(*app, "10.1.2.3", {{"Authorization", "Bearer s3cret-scrape"}});
  EXPECT_EQ(granted.status, 200) << granted.body;
  EXPECT_NE(granted.body.find("raptor_info"), std::string::npos);
}

}  // namespace
