// queue/core's types <-> the contract's, field by field. The two mirror each other
// (the contract is API v1's documents as C++ values), so these are moves: a body or
// an attribute map changes hands, it is never copied.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "queue/contract/result.h"
#include "queue/contract/types.h"
#include "queue/core/errors.h"
#include "queue/core/service.h"
#include "queue/core/types.h"

namespace queue::in_process {

// A failed call, with the code the HTTP API answers for the same failure.
contract::Error to_contract(core::Error error);

// --- requests: contract -> core ---
core::AttributesPatch to_core(contract::QueuePatch patch);
core::ListQueuesRequest to_core(contract::ListQueuesRequest request);
std::vector<core::OutgoingMessage> to_core(std::vector<contract::OutgoingMessage> messages);
// Nothing for a PeekState outside the enum (a cast integer): the caller answers invalid_request.
std::optional<core::PeekRequest> to_core(contract::PeekRequest request);
core::RedriveRequest to_core(contract::RedriveRequest request);

// --- answers: core -> contract ---
contract::QueueInfo to_contract(core::QueueInfo queue);
contract::PutQueueResult to_contract(core::PutQueueResult result);
contract::QueueList to_contract(core::QueueList list);
contract::Done to_contract(core::Done);
contract::SendResult to_contract(core::SendResult result);
std::vector<contract::ReceivedMessage> to_contract(std::vector<core::ReceivedMessage> messages);
contract::AckResult to_contract(core::AckResult result);
contract::ReceiveResult to_contract(core::ReceiveResult result);
contract::VisibilityResult to_contract(core::VisibilityResult result);
contract::PeekedMessage to_contract(core::PeekedMessage message);
contract::PeekPage to_contract(core::PeekPage page);
contract::PurgeResult to_contract(core::PurgeResult result);
contract::RedriveResult to_contract(core::RedriveResult result);

// A service answer as the contract's: the value converted, or the error mapped.
template <typename Core>
auto to_contract_result(core::Result<Core> result) -> contract::Result<decltype(to_contract(std::declval<Core>()))> {
  if (!result.ok()) return to_contract(result.error());
  return to_contract(std::move(result).value());
}

}  // namespace queue::in_process
