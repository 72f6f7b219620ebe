#include "tests/queue_api/api_test.h"

namespace queue_api_test {

void ApiTest::SetUp() {
  EngineTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ApiServer::Options options = server_options();
  options.engine = GetParam();
  server_.emplace(std::move(options));
  client_.emplace(server_->port());
  prepare();
}

}  // namespace queue_api_test
