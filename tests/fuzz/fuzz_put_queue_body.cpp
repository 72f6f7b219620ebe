// PUT /queues/{q}: parse_put_queue_body.
#include <boost/json/object.hpp>

#include "queue/api/codec.h"
#include "queue/core/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace queue;

boost::json::object canonical(const core::AttributesPatch& patch) {
  boost::json::object object;
  auto put = [&](const char* key, const std::optional<int>& value) {
    if (value) object[key] = *value;
  };
  put("visibility_timeout_s", patch.visibility_timeout_s);
  put("retention_s", patch.retention_s);
  put("delay_s", patch.delay_s);
  put("max_message_bytes", patch.max_message_bytes);
  put("dedup_window_s", patch.dedup_window_s);
  if (patch.fifo) object["fifo"] = *patch.fifo;
  if (patch.dead_letter) {
    if (*patch.dead_letter) {
      object["dead_letter"] = {{"queue", (*patch.dead_letter)->queue},
                               {"max_receives", (*patch.dead_letter)->max_receives}};
    } else {
      object["dead_letter"] = nullptr;
    }
  }
  return object;
}

bool same(const core::AttributesPatch& a, const core::AttributesPatch& b) {
  return a.visibility_timeout_s == b.visibility_timeout_s && a.retention_s == b.retention_s && a.delay_s == b.delay_s &&
         a.max_message_bytes == b.max_message_bytes && a.dead_letter == b.dead_letter && a.fifo == b.fifo &&
         a.dedup_window_s == b.dedup_window_s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  core::Result<core::AttributesPatch> parsed = api::parse_put_queue_body(fuzz::as_text(data, size));
  if (!parsed.ok()) {
    fuzz::require_clean_error(parsed.error(), {core::ErrorCode::invalid_request});
    return 0;
  }
  // Ranges are the codec's to enforce; the dead-letter queue's name and the fifo flag
  // against the queue's name are the service's. So check_patch must pass once those
  // two are made consistent.
  core::AttributesPatch consistent = parsed.value();
  if (consistent.dead_letter && *consistent.dead_letter) (*consistent.dead_letter)->queue = "fuzz-dead-letters";
  std::string queue_name = consistent.fifo.value_or(false) ? "fuzz.fifo" : "fuzz";
  std::optional<core::Error> refused = core::check_patch(queue_name, consistent);
  fuzz::require(!refused, "codec accepted attributes the service refuses: " + (refused ? refused->message : ""));

  core::Result<core::AttributesPatch> again = api::parse_put_queue_body(fuzz::serialize(canonical(parsed.value())));
  fuzz::require(again.ok() && same(again.value(), parsed.value()), "round trip changed the attributes");
  return 0;
}
