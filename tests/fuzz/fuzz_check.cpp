#include "tests/fuzz/fuzz_check.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>

#include "queue/api/errors.h"
#include "queue/core/validation.h"
#include "web/request.h"
#include "web/response.h"

namespace fuzz {
namespace {

// Generous: the longest message a parser builds names a nested field and a range.
constexpr std::size_t message_max = 1024;

void require_readable(std::string_view message) {
  require(!message.empty(), "error without a message");
  require(message.size() <= message_max, "error message of " + std::to_string(message.size()) + " bytes");
  require(queue::core::is_valid_utf8(message), "error message is not UTF-8");
}

// The error as Queue's routes answer it (queue::api::error_response), parsed back:
// a 400 says invalid_request, a 413 payload_too_large, and nothing else may come of bad input.
void require_rendered(const web::Error& error) {
  std::string_view expected_code = error.status == 400   ? "invalid_request"
                                   : error.status == 413 ? "payload_too_large"
                                                         : "";
  require(!expected_code.empty(), "bad input mapped to status " + std::to_string(error.status));
  web::Response response = queue::api::error_response(web::Request{}, error);
  require(response.status == error.status, "rendered error changed status");
  boost::system::error_code parse_error;
  boost::json::value body = boost::json::parse(response.body, parse_error);
  require(!parse_error, "error body is not JSON: " + response.body);
  const boost::json::object* document = body.if_object();
  const boost::json::value* detail = document ? document->if_contains("error") : nullptr;
  const boost::json::value* code = detail && detail->is_object() ? detail->as_object().if_contains("code") : nullptr;
  require(code && code->is_string() && code->get_string() == expected_code,
          "error body does not say " + std::string(expected_code) + ": " + response.body);
}

}  // namespace

void require(bool holds, std::string_view what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void require_clean_error(const queue::core::Error& error, std::initializer_list<queue::core::ErrorCode> allowed) {
  require(std::find(allowed.begin(), allowed.end(), error.code) != allowed.end(),
          "unexpected error code " + std::string(queue::core::to_string(error.code)) + ": " + error.message);
  require_readable(error.message);
  require_rendered(queue::api::to_http_error(error));
}

void require_clean_http_error(const web::HttpError& error) {
  require(error.error().status == 400, "request error with status " + std::to_string(error.error().status));
  require_readable(error.error().message);
  require_rendered(error.error());
}

std::string serialize(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace fuzz
