// POST /queues/{q}/visibility: parse_visibility_body.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

using namespace queue;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  core::Result<api::VisibilityChange> parsed = api::parse_visibility_body(fuzz::as_text(data, size));
  if (!parsed.ok()) {
    fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request});
    return 0;
  }
  fuzz::require(!core::check_receipt_batch(parsed->receipts.size()),
                "codec accepted a receipt batch the service refuses");
  fuzz::require(!core::check_visibility_timeout(parsed->visibility_timeout_s),
                "codec accepted a visibility timeout the service refuses");

  boost::json::object canonical{{"receipts", boost::json::array(parsed->receipts.begin(), parsed->receipts.end())},
                                {"visibility_timeout_s", parsed->visibility_timeout_s}};
  core::Result<api::VisibilityChange> again = api::parse_visibility_body(fuzz::serialize(canonical));
  fuzz::require(
      again.ok() && again->receipts == parsed->receipts && again->visibility_timeout_s == parsed->visibility_timeout_s,
      "round trip changed the change");
  return 0;
}
