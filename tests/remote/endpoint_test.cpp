#include "queue/remote/endpoint.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace queue::remote {
namespace {

TEST(Endpoint, ParsesSchemeHostPortAndPrefix) {
  Endpoint plain = Endpoint::parse("http://127.0.0.1:5000");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, "5000");
  EXPECT_EQ(plain.host_header, "127.0.0.1:5000");
  EXPECT_EQ(plain.api_path, "/api/v1");

  Endpoint secure = Endpoint::parse("https://queue.internal/gw/queue/");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.port, "443");
  EXPECT_EQ(secure.host_header, "queue.internal");
  EXPECT_EQ(secure.api_path, "/gw/queue/api/v1");

  Endpoint v6 = Endpoint::parse("http://[::1]:8080");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.host_header, "[::1]:8080");
}

TEST(Endpoint, RefusesWhatIsNotAnHttpBaseUrl) {
  for (const char* url : {"", "127.0.0.1:5000", "ftp://host", "http://", "http://user:pw@host", "http://host/?q=1",
                          "http://host/#f", "http://host:0"}) {
    EXPECT_THROW(Endpoint::parse(url), std::invalid_argument) << url;
  }
}

TEST(Endpoint, PercentEncodesEverySegmentAndQueryValue) {
  Endpoint endpoint = Endpoint::parse("http://h:1/p");
  EXPECT_EQ(endpoint.target({"queues", "orders.fifo", "messages"}), "/p/api/v1/queues/orders.fifo/messages");
  // A name can never add a path segment or a query.
  EXPECT_EQ(endpoint.target({"queues", "a b/c?d#e%"}), "/p/api/v1/queues/a%20b%2Fc%3Fd%23e%25");
  EXPECT_EQ(endpoint.target({"queues"}, {{"prefix", "a&b=c d"}, {"limit", "5"}}),
            "/p/api/v1/queues?prefix=a%26b=c%20d&limit=5");  // '=' in a value is legal: keys end at the first
}

}  // namespace
}  // namespace queue::remote
