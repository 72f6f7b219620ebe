#include "bench/drivers/resp.h"

#include <charconv>
#include <stdexcept>

namespace bench::resp {
namespace {

void append_bulk(std::string& out, std::string_view arg) {
  out += '$';
  out += std::to_string(arg.size());
  out += "\r\n";
  out += arg;
  out += "\r\n";
}

std::int64_t parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("redis: malformed integer in reply: " + std::string(text));
  }
  return value;
}

}  // namespace

void append_command(std::string& out, std::initializer_list<std::string_view> head,
                    std::span<const std::string> tail) {
  out += '*';
  out += std::to_string(head.size() + tail.size());
  out += "\r\n";
  for (std::string_view arg : head) append_bulk(out, arg);
  for (const std::string& arg : tail) append_bulk(out, arg);
}

Reply read_reply(net::Connection& connection) {
  std::string_view line = connection.read_line();
  if (line.empty()) throw std::runtime_error("redis: empty reply line");
  const char type = line.front();
  line.remove_prefix(1);
  Reply reply;
  switch (type) {
    case '+':
      reply.kind = Reply::Kind::simple;
      reply.text = line;
      return reply;
    case '-':
      reply.kind = Reply::Kind::error;
      reply.text = line;
      return reply;
    case ':':
      reply.kind = Reply::Kind::integer;
      reply.integer = parse_integer(line);
      return reply;
    case '$': {
      const std::int64_t size = parse_integer(line);
      if (size < 0) return reply;  // nil
      reply.kind = Reply::Kind::bulk;
      connection.read_exact(static_cast<std::size_t>(size), reply.text);
      connection.expect_crlf();
      return reply;
    }
    case '*': {
      const std::int64_t size = parse_integer(line);
      if (size < 0) return reply;  // nil array
      reply.kind = Reply::Kind::array;
      reply.elements.reserve(static_cast<std::size_t>(size));
      for (std::int64_t i = 0; i < size; ++i) reply.elements.push_back(read_reply(connection));
      return reply;
    }
    default:
      throw std::runtime_error(std::string("redis: unknown reply type '") + type + "'");
  }
}

const Reply& expect_ok(const Reply& reply, std::string_view command) {
  if (reply.kind == Reply::Kind::error) {
    throw std::runtime_error("redis " + std::string(command) + ": " + reply.text);
  }
  return reply;
}

}  // namespace bench::resp
