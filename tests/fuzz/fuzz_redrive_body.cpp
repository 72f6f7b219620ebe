// POST /queues/{q}/redrive (parse_redrive_body) and POST /queues/{q}/purge
// (parse_empty_body): the two admin bodies whose every field is optional.
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "tests/fuzz/fuzz_check.h"

using namespace queue;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body = fuzz::as_text(data, size);
  core::Result<core::RedriveRequest> redrive = api::parse_redrive_body(body);
  core::Result<core::Done> purge = api::parse_empty_body(body);
  if (!purge.ok()) fuzz::require_clean_error(purge.error(), {core::ErrorCode::invalid_request});
  if (!redrive.ok()) {
    fuzz::require_clean_error(redrive.error(), {core::ErrorCode::invalid_request});
    fuzz::require(!purge.ok(), "a body with no fields is a valid redrive (every field is optional)");
    return 0;
  }
  fuzz::require(!redrive->max || (*redrive->max >= 1 && *redrive->max <= core::limits::redrive_max),
                "redrive max accepted out of range");
  if (purge.ok()) fuzz::require(!redrive->to && !redrive->max, "a body with no fields set redrive fields");

  boost::json::object canonical;
  if (redrive->to) canonical["to"] = *redrive->to;
  if (redrive->max) canonical["max"] = *redrive->max;
  core::Result<core::RedriveRequest> again = api::parse_redrive_body(fuzz::serialize(canonical));
  fuzz::require(again.ok() && again->to == redrive->to && again->max == redrive->max, "round trip changed the redrive");
  return 0;
}
