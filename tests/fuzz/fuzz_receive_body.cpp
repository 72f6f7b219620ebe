// POST /queues/{q}/receive: parse_receive_body.
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace queue;

boost::json::object canonical(const core::ReceiveOptions& options) {
  boost::json::object object{{"max", options.max}, {"wait_s", options.wait_ms / 1000}};
  if (options.visibility_timeout_s) object["visibility_timeout_s"] = *options.visibility_timeout_s;
  return object;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  core::Result<core::ReceiveOptions> parsed = api::parse_receive_body(fuzz::as_text(data, size));
  if (!parsed.ok()) {
    fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request});
    return 0;
  }
  // What the codec accepts, the service must accept too: else a valid-looking request fails later.
  std::optional<core::Error> refused = core::check_receive(parsed.value());
  fuzz::require(!refused, "codec accepted options the service refuses: " + (refused ? refused->message : ""));
  fuzz::require(parsed->wait_ms % 1000 == 0, "wait_s is whole seconds");

  core::Result<core::ReceiveOptions> again = api::parse_receive_body(fuzz::serialize(canonical(parsed.value())));
  fuzz::require(again.ok(), "canonical form of accepted options refused");
  fuzz::require(again->max == parsed->max && again->wait_ms == parsed->wait_ms &&
                    again->visibility_timeout_s == parsed->visibility_timeout_s,
                "round trip changed the options");
  return 0;
}
