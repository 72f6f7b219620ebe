#include "bench/drivers/resp.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace bench::resp {
namespace {

// A Connection whose peer has already written `bytes` and closed.
net::Connection connection_reading(const std::string& bytes) {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_EQ(::write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fds[1]);
  return net::Connection(fds[0], {"socketpair", 0});
}

TEST(Resp, EncodesCommandsAsArraysOfBulkStrings) {
  std::string out;
  const std::string tail[] = {"a", "bc"};
  append_command(out, {"LPUSH", "q"}, tail);
  EXPECT_EQ(out, "*4\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$1\r\na\r\n$2\r\nbc\r\n");
}

TEST(Resp, ReadsEveryReplyType) {
  net::Connection connection = connection_reading(
      "+PONG\r\n-ERR wrong\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*2\r\n:1\r\n$0\r\n\r\n");
  Reply simple = read_reply(connection);
  EXPECT_EQ(simple.kind, Reply::Kind::simple);
  EXPECT_EQ(simple.text, "PONG");
  Reply error = read_reply(connection);
  EXPECT_EQ(error.kind, Reply::Kind::error);
  EXPECT_THROW(expect_ok(error, "X"), std::runtime_error);
  EXPECT_EQ(read_reply(connection).integer, 42);
  Reply bulk = read_reply(connection);
  EXPECT_EQ(bulk.kind, Reply::Kind::bulk);
  EXPECT_EQ(bulk.text, "he\r\no");  // binary safe: a CRLF inside a bulk string is data
  EXPECT_EQ(read_reply(connection).kind, Reply::Kind::nil);
  Reply array = read_reply(connection);
  ASSERT_EQ(array.kind, Reply::Kind::array);
  ASSERT_EQ(array.elements.size(), 2u);
  EXPECT_EQ(array.elements[1].text, "");
}

TEST(Resp, MalformedRepliesThrowInsteadOfCrashing) {
  net::Connection unknown = connection_reading("?what\r\n");
  EXPECT_THROW(read_reply(unknown), std::runtime_error);
  net::Connection bad_length = connection_reading("$x\r\n");
  EXPECT_THROW(read_reply(bad_length), std::runtime_error);
  net::Connection truncated = connection_reading("$10\r\nabc");
  EXPECT_THROW(read_reply(truncated), std::runtime_error);
}

}  // namespace
}  // namespace bench::resp
