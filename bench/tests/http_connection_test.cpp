#include "bench/net/http_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "bench/tests/canned_server.h"

namespace bench::net {
namespace {

using fake::CannedServer;
using fake::Script;

TEST(HttpConnection, SendsJsonWithLengthAndAuthorizationAndReadsContentLengthBodies) {
  CannedServer server(Script{{"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}",
                        "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"}});
  HttpConnection http({"127.0.0.1", server.port()}, "Bearer t0k");
  HttpResponse first = http.request("POST", "/api/v1/queues/q/messages", R"({"a":1})");
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(first.body, "{}");
  HttpResponse second = http.request("GET", "/api/v1/queues");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "hello");

  ASSERT_EQ(server.requests().size(), 2u);  // both on one keep-alive connection
  const std::string& post = server.requests()[0];
  EXPECT_TRUE(post.starts_with("POST /api/v1/queues/q/messages HTTP/1.1\r\n"));
  EXPECT_NE(post.find("Authorization: Bearer t0k\r\n"), std::string::npos);
  EXPECT_NE(post.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_TRUE(post.ends_with("\r\n\r\n{\"a\":1}"));
}

TEST(HttpConnection, DecodesChunkedBodies) {
  CannedServer server(Script{{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n"}});
  HttpConnection http({"127.0.0.1", server.port()}, "");
  EXPECT_EQ(http.request("GET", "/").body, "Wikipedia");
}

TEST(HttpConnection, ReconnectsAfterTheServerSaysClose) {
  CannedServer server(Script{{"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"},
                       {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"}});
  HttpConnection http({"127.0.0.1", server.port()}, "");
  EXPECT_EQ(http.request("GET", "/").body, "a");
  EXPECT_EQ(http.request("GET", "/").body, "b");
}

TEST(HttpConnection, MalformedStatusLineThrows) {
  CannedServer server(Script{{"SMTP ready\r\n\r\n"}});
  HttpConnection http({"127.0.0.1", server.port()}, "");
  EXPECT_THROW(http.request("GET", "/"), std::runtime_error);
}

}  // namespace
}  // namespace bench::net
