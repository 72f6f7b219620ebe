// decode_receipt: every receipt a client sends to ack or visibility is decoded here
// first. Exactly the canonical receipts (32 lowercase hex digits, a positive message
// id, a non-zero lease token) decode, and they encode back to themselves.
#include "queue/core/receipts.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool canonical_form(std::string_view text) {
  if (text.size() != 32 || text.find_first_not_of("0123456789abcdef") != std::string_view::npos) return false;
  bool id_positive = text[0] < '8' && text.substr(0, 16) != std::string_view("0000000000000000");
  bool token_nonzero = text.substr(16) != std::string_view("0000000000000000");
  return id_positive && token_nonzero;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view receipt = fuzz::as_text(data, size);
  std::optional<queue::core::LeaseRef> lease = queue::core::decode_receipt(receipt);
  fuzz::require(lease.has_value() == canonical_form(receipt), "decodes iff canonical");
  if (lease) {
    fuzz::require(lease->message_id > 0 && lease->lease_token != 0, "decoded a lease that cannot exist");
    fuzz::require(queue::core::encode_receipt(*lease) == receipt, "does not encode back to itself");
  }
  return 0;
}
