// The contract's values as queuectl's JSON output. These shapes are public
// (docs/queuectl.md): add fields, never rename or remove one. Instants are
// milliseconds since the Unix epoch and durations whole seconds, as in the contract.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "queue/contract/types.h"

namespace queue::cli {

boost::json::object attributes_json(const contract::QueueAttributes& attributes);
boost::json::object stats_json(const contract::QueueStats& stats);
// {"name","created_at_ms","attributes":{...},"stats":{...}}
boost::json::object queue_json(const contract::QueueInfo& queue);
// One row of `stats` and `top`: {"name","visible","in_flight","delayed","oldest_age_s"}.
boost::json::object queue_stats_row_json(const contract::QueueInfo& queue);

// {"id","body","attributes","receive_count","sent_at_ms","visible_at_ms","group_id","state"}
boost::json::object peeked_json(const contract::PeekedMessage& message);
boost::json::object received_json(const contract::ReceivedMessage& message);
boost::json::array receipt_failures_json(const std::vector<contract::ReceiptFailure>& failed);

// A string, or null when empty (cursors) or absent.
boost::json::value string_or_null(const std::optional<std::string>& text);

}  // namespace queue::cli
