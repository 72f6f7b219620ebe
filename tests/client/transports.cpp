#include "tests/client/transports.h"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "backend_v2/api/app_factory.h"
#include "queue/api/app.h"
#include "queue/remote/http_client.h"
#include "tests/queue_api/test_setup.h"

namespace client_test {

using queue::testing::EngineKind;

void PrintTo(Transport transport, std::ostream* out) {
  switch (transport) {
    case Transport::in_process: *out << "in_process"; return;
    case Transport::raptor_http: *out << "raptor_http"; return;
    case Transport::queue_server_http: *out << "queue_server_http"; return;
  }
}

ClientUnderTest::ClientUnderTest(Transport transport, EngineKind engine, web::Config extra, std::string token)
    : transport_(transport) {
  // For SQLite a file, as Queue is deployed, rather than an in-memory database.
  database_.emplace(engine, /*persistent=*/true);
  web::Config config = queue_api_test::queue_test_config(database_->url());
  for (const auto& [key, value] : extra.values()) {
    if (!config.get(key)) config.set(key, value);  // the test's own Queue settings win
  }

  if (transport == Transport::queue_server_http) {
    app_ = queue::create_app(config);
  } else {
    config.set("FLAG_QUEUE_V1", "1");
    app_ = raptor::api::create_app(config);
  }

  if (transport == Transport::in_process) {
    client_ = app_->extension<queue::contract::QueueClient>();
    if (!client_) throw std::logic_error("Raptor's app holds no QueueClient with FLAG_QUEUE_V1 on");
    if (!token.empty()) throw std::logic_error("the in-process client takes no token");
    return;
  }
  server_ = std::make_unique<web::Server>(*app_, queue_api_test::loopback_test_server());
  server_->start();
  client_ = remote_client(std::move(token));
}

ClientUnderTest::~ClientUnderTest() {
  client_.reset();  // a remote client joins its thread; in-flight calls are answered
  if (server_) {
    server_->shutdown();
    server_->wait();
  } else {
    app_->shutdown();  // what the server's drain would run: Queue's on_shutdown
  }
}

std::string ClientUnderTest::base_url() const {
  if (!server_) throw std::logic_error("the in-process transport has no server to call");
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

std::shared_ptr<queue::contract::QueueClient> ClientUnderTest::remote_client(std::string token) const {
  queue::remote::HttpClientOptions options;
  options.base_url = base_url();
  options.token = std::move(token);
  return queue::remote::make_http_client(std::move(options));
}

bool ClientUnderTest::wait_until_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto listed = client_->list_queues({}, queue::contract::within(std::chrono::seconds(2)));
    if (listed.ok()) return true;
    if (listed.error().code != queue::contract::ErrorCode::unavailable) return false;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void ClientSuite::SetUp() {
  const EngineKind engine = std::get<1>(GetParam());
  queue::testing::set_current_engine(engine);
  if (engine == EngineKind::postgres) queue::testing::require_postgres();
  if (IsSkipped() || HasFatalFailure()) return;
  under_test_.emplace(transport(), engine);
  ASSERT_TRUE(under_test_->wait_until_ready()) << "Queue did not become ready in 10 s";
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  std::ostringstream name;
  PrintTo(std::get<0>(info.param), &name);
  name << "_";
  queue::testing::PrintTo(std::get<1>(info.param), &name);
  return name.str();
}

}  // namespace client_test
