// Raptor's code on the contract behaves the same in both of ADR-0066's phases: the
// exports feature (backend_v2/api/exports_blueprint.h) with Queue mounted in process
// (Phase 1), and with Raptor given RAPTOR_QUEUE_URL of a separate Queue (Phase 4).
// The same requests, the same answers; only the version route's queue_mode differs.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <optional>
#include <string>

#include "backend_v2/api/app_factory.h"
#include "tests/client/transports.h"
#include "tests/integration/in_process.h"

namespace client_test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using queue::testing::EngineKind;
using test_support::dispatch;
using test_support::json_of;

class RaptorExportsInBothPhases : public ::testing::TestWithParam<Transport> {
 protected:
  void SetUp() override {
    queue::testing::set_current_engine(EngineKind::sqlite);
    // in_process: Raptor with Queue mounted. queue_server_http: a separate Queue, and
    // a Raptor that only knows its URL.
    queue_.emplace(GetParam(), EngineKind::sqlite);
    ASSERT_TRUE(queue_->wait_until_ready());
    if (GetParam() == Transport::in_process) {
      raptor_ = &queue_->app();
      return;
    }
    web::Config environment;
    environment.set("RAPTOR_QUEUE_URL", queue_->base_url());
    separate_raptor_ = raptor::api::create_app(environment);
    raptor_ = separate_raptor_.get();
  }
  void TearDown() override {
    separate_raptor_.reset();  // its remote client first, then the Queue it calls
    queue_.reset();
  }

  web::Response post_export(const std::string& idempotency_key) {
    return dispatch(*raptor_, "POST", "/api/v1/raptor/exports",
                    {{"Content-Type", "application/json"}, {"Idempotency-Key", idempotency_key}},
                    R"({"report":"sales-q1","format":"csv"})");
  }

  std::optional<ClientUnderTest> queue_;
  std::unique_ptr<web::App> separate_raptor_;
  web::App* raptor_ = nullptr;
};

std::string phase_name(const ::testing::TestParamInfo<Transport>& param) {
  return param.param == Transport::in_process ? "in_process" : "remote";
}

INSTANTIATE_TEST_SUITE_P(, RaptorExportsInBothPhases,
                         ::testing::Values(Transport::in_process, Transport::queue_server_http), phase_name);

TEST_P(RaptorExportsInBothPhases, EnqueuesOnceAndShowsTheDepthTheSameWay) {
  json::value version = json_of(dispatch(*raptor_, "GET", "/api/v1/raptor/version"));
  EXPECT_EQ(version.at("queue_mode"), GetParam() == Transport::in_process ? "in_process" : "remote");

  web::Response first = post_export("sales-q1-export");
  web::Response retried = post_export("sales-q1-export");
  ASSERT_EQ(first.status, 202) << first.body;
  ASSERT_EQ(retried.status, 202) << retried.body;
  json::value job = json_of(first).at("job");
  EXPECT_EQ(job.at("queue"), "raptor-exports");
  EXPECT_EQ(json_of(retried).at("job"), job) << "a retried request must not enqueue a second job";

  web::Response depth = dispatch(*raptor_, "GET", "/api/v1/raptor/exports/queue");
  ASSERT_EQ(depth.status, 200) << depth.body;
  EXPECT_EQ(json_of(depth).at("visible"), 1);

  // What a worker will receive, seen through the contract itself.
  auto received = queue_->client().receive("raptor-exports", {}, queue::contract::within(10s));
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ((*received)[0].id, std::string(job.at("id").as_string()));
  json::value body = json::parse((*received)[0].body);
  EXPECT_EQ(body.at("report"), "sales-q1");
  EXPECT_EQ(body.at("format"), "csv");
}

}  // namespace
}  // namespace client_test
