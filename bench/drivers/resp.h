// RESP2, the Redis wire protocol: commands out as arrays of bulk strings,
// replies in as one of five types (https://redis.io/docs/reference/protocol-spec/).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench/net/connection.h"

namespace bench::resp {

struct Reply {
  enum class Kind { simple, error, integer, bulk, nil, array };
  Kind kind = Kind::nil;
  std::string text;  // simple, error, bulk
  std::int64_t integer = 0;
  std::vector<Reply> elements;  // array
};

// Appends one command, so a caller can pipeline several in one write.
void append_command(std::string& out, std::initializer_list<std::string_view> head,
                    std::span<const std::string> tail = {});

// Reads one whole reply; throws on malformed input.
Reply read_reply(net::Connection& connection);

// Throws std::runtime_error with the server's message when `reply` is an error.
const Reply& expect_ok(const Reply& reply, std::string_view command);

}  // namespace bench::resp
