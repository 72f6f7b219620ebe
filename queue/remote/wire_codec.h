// API v1's JSON documents <-> the contract's types, for the client's side of the wire
// (queue/api/codec.h is the server's side; tests/remote/wire_codec_test.cpp checks the
// two agree). No HTTP and no Asio here, so it compiles fast and is tested alone.
//
// Hand-written on purpose: no library maps these types. The wire and the structs
// differ in names ("queues" vs names, "created_at" vs created_at_ms), in units (RFC 3339
// instants vs milliseconds), in the meaning of absence (dead_letter: absent = keep,
// null = remove) and in enums as strings; a reflective mapper (Boost.Describe +
// value_to) would need a custom rule for most fields, and the contract headers must
// stay std-only, so they cannot carry annotations.
//
// Decoders are strict about the types of the fields they read and ignore fields they
// do not know (a newer server may add some). Garbage never throws out of them: it is
// an internal_error saying which field was wrong.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue/contract/result.h"
#include "queue/contract/types.h"

namespace queue::remote::wire {

// --- request bodies ---

std::string put_queue_body(const contract::QueuePatch& patch);
std::string send_body(const std::vector<contract::OutgoingMessage>& messages);
// "ack" only when `ack` holds receipts (the server wants 1..100 when it is present).
std::string receive_body(int max, std::optional<int> visibility_timeout_s, int wait_s,
                         const std::vector<std::string>& ack = {});
std::string receipts_body(const std::vector<std::string>& receipts);
std::string visibility_body(const std::vector<std::string>& receipts, int visibility_timeout_s);
std::string redrive_body(const contract::RedriveRequest& request);

// --- response bodies (2xx) ---

contract::Result<contract::QueueInfo> parse_queue_info(std::string_view body);
contract::Result<contract::QueueList> parse_queue_list(std::string_view body);
contract::Result<contract::SendResult> parse_sent(std::string_view body);
contract::Result<std::vector<contract::ReceivedMessage>> parse_received(std::string_view body);
contract::Result<contract::AckResult> parse_acked(std::string_view body);
// A receive that may carry "ack": {"messages":[...],"acks"?:{...}}; no "acks", no acks.
contract::Result<contract::ReceiveResult> parse_received_with_acks(std::string_view body);
contract::Result<contract::VisibilityResult> parse_visibility(std::string_view body);
// A page of GET /queues/{q}/messages?state=`state`; one GET /queues/{q}/messages/{id}.
contract::Result<contract::PeekPage> parse_peek_page(std::string_view body, contract::PeekState state);
contract::Result<contract::PeekedMessage> parse_peeked_message(std::string_view body);
contract::Result<contract::PurgeResult> parse_purged(std::string_view body);
contract::Result<contract::RedriveResult> parse_redriven(std::string_view body);

// --- errors ---

// Any non-2xx answer as the contract's Error. Queue's {"error":{"code","message",
// "request_id"}} keeps its code; an unknown code, Raptor's own error format or a body
// that is not JSON (a proxy's page) gets the code of its status (code_for_status).
// `request_id_header` (X-Request-ID) is used when the body carries none.
contract::Error parse_error(int status, std::string_view body, std::string_view request_id_header,
                            std::optional<std::chrono::seconds> retry_after);
contract::ErrorCode code_for_status(int status);
// Retry-After as delta-seconds; nullopt for anything else (HTTP-dates are not used by Queue).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

// --- instants ---

// "2024-05-01T12:00:00.250Z" -> ms since the epoch; any number of fraction digits
// (truncated to ms), UTC ("Z") only, as queue/api/timestamps.h writes them.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

}  // namespace queue::remote::wire
