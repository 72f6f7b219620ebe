#include "bench/drivers/client.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "bench/drivers/postgres_baseline_client.h"

namespace bench {
namespace {

Target on_host(std::string host) {
  Target target;
  target.endpoint.host = std::move(host);
  return target;
}

TEST(Endpoints, OnePortKeepsOneEndpoint) {
  const std::uint16_t ports[] = {27410};
  const Target target = with_ports(on_host("127.0.0.1"), ports);
  EXPECT_EQ(target.endpoint.port, 27410);
  EXPECT_TRUE(target.endpoints.empty());
  EXPECT_EQ(endpoint_for(target, 0).port, 27410);
  EXPECT_EQ(endpoint_for(target, 7).port, 27410);
}

TEST(Endpoints, SeveralPortsAreUsedRoundRobin) {
  const std::uint16_t ports[] = {27410, 27411};
  const Target target = with_ports(on_host("10.0.0.5"), ports);
  ASSERT_EQ(target.endpoints.size(), 2u);
  std::vector<std::uint16_t> used;
  for (std::size_t connection = 0; connection < 4; ++connection) {
    EXPECT_EQ(endpoint_for(target, connection).host, "10.0.0.5");
    used.push_back(endpoint_for(target, connection).port);
  }
  EXPECT_EQ(used, (std::vector<std::uint16_t>{27410, 27411, 27410, 27411}));  // 4 connections split 2 + 2
}

TEST(Endpoints, NoPortIsAnError) { EXPECT_THROW(with_ports(on_host("127.0.0.1"), {}), std::invalid_argument); }

TEST(PostgresBaseline, TableNamesAreQuotedAndValidated) {
  EXPECT_EQ(baseline_table_name("scale-16"), "\"queue_bench_scale-16\"");
  EXPECT_THROW(baseline_table_name("x\"; DROP TABLE y; --"), std::invalid_argument);
  EXPECT_THROW(baseline_table_name(""), std::invalid_argument);
  EXPECT_THROW(baseline_table_name(std::string(41, 'a')), std::invalid_argument);
}

TEST(PostgresBaseline, ArrayLiteralEscapesQuotesAndBackslashes) {
  const std::string bodies[] = {"plain", "say \"hi\"", "back\\slash", ""};
  EXPECT_EQ(text_array_literal(bodies), R"({"plain","say \"hi\"","back\\slash",""})");
}

TEST(PostgresBaseline, ClientWithoutDatabaseUrlIsRefused) {
  Target target;
  target.system = System::postgres;
  target.queue = "w1";
  EXPECT_THROW(connect_client(target), std::invalid_argument);
}

}  // namespace
}  // namespace bench
