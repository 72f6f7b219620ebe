// POST /queues/{q}/ack: parse_ack_body.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

using namespace queue;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  core::Result<std::vector<std::string>> parsed = api::parse_ack_body(fuzz::as_text(data, size));
  if (!parsed.ok()) {
    fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request});
    return 0;
  }
  fuzz::require(!core::check_receipt_batch(parsed->size()), "codec accepted a receipt batch the service refuses");
  const std::vector<std::string>& receipts = parsed.value();
  for (const std::string& receipt : receipts) fuzz::require(core::is_valid_utf8(receipt), "receipt is not UTF-8");

  boost::json::object canonical{{"receipts", boost::json::array(receipts.begin(), receipts.end())}};
  core::Result<std::vector<std::string>> again = api::parse_ack_body(fuzz::serialize(canonical));
  fuzz::require(again.ok() && again.value() == receipts, "round trip changed the receipts");
  return 0;
}
