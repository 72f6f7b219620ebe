// GET /queues?prefix=&limit=&cursor= and GET /queues/{q}/messages?state=&limit=: the
// query string as those routes read it (web::Request, query_int, parse_peek_state,
// check_list_request). query_int is held to an independent oracle.
#include <optional>
#include <string>

#include "queue/api/codec.h"
#include "queue/api/request_params.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "web/request.h"

namespace {

using namespace queue;

// What query_int must answer for `text`: the fallback when absent, the value when it
// is an optionally negative decimal integer within [min, max], else nullopt (a 400).
std::optional<int> expected_int(const std::optional<std::string>& text, int fallback, int min, int max) {
  if (!text) return fallback;
  std::string_view digits = *text;
  bool negative = digits.starts_with('-');
  if (negative) digits.remove_prefix(1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.size() > 9) return std::nullopt;  // beyond every range used here
  long long value = digits.empty() ? 0 : std::stoll(std::string(digits));
  if (negative) value = -value;
  if (value < min || value > max) return std::nullopt;
  return static_cast<int>(value);
}

// query_int as a route calls it, checked against the oracle; nullopt when it refused.
std::optional<int> checked_query_int(const web::Request& request, std::string_view key, int fallback, int min,
                                     int max) {
  std::optional<int> expected = expected_int(request.query(key), fallback, min, max);
  try {
    int value = api::query_int(request, key, fallback, min, max);
    fuzz::require(expected == value, std::string(key) + "=" + request.query(key).value_or("(absent)") + " read as " +
                                         std::to_string(value));
    return value;
  } catch (const web::HttpError& error) {
    fuzz::require(!expected, std::string(key) + "=" + request.query(key).value_or("") + " refused");
    fuzz::require_clean_http_error(error);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::optional<web::Request> request;
  try {
    request.emplace("GET", "/api/v1/queues?" + std::string(fuzz::as_text(data, size)), web::Request::Headers{}, "");
  } catch (const web::HttpError& error) {
    fuzz::require_clean_http_error(error);
    return 0;
  }

  // GET /queues
  if (std::optional<int> limit =
          checked_query_int(*request, "limit", core::limits::list_limit_max, 1, core::limits::list_limit_max)) {
    core::ListQueuesRequest list{api::query_string(*request, "prefix"), *limit, api::query_string(*request, "cursor")};
    if (std::optional<core::Error> refused = core::check_list_request(list)) {
      fuzz::require_clean_error(*refused, {core::ErrorCode::invalid_request});
    }
  }

  // GET /queues/{q}/messages
  if (std::optional<std::string> state = request->query("state")) {
    core::Result<core::PeekState> parsed = api::parse_peek_state(*state);
    if (!parsed.ok()) fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request});
  }
  if (std::optional<int> limit = checked_query_int(*request, "limit", 10, 1, core::limits::peek_limit_max)) {
    fuzz::require(!core::check_peek(core::PeekRequest{core::PeekState::visible, *limit, api::query_string(*request, "cursor")}),
                  "peek limit accepted that the service refuses");
  }
  return 0;
}
