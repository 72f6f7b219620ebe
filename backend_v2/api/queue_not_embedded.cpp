// `raptor-remote-only` (and `raptor` built with RAPTOR_EMBED_QUEUE=OFF): Raptor with no
// Queue implementation linked in, as after Phase 4. See queue_embedding.h.
#include "backend_v2/api/queue_embedding.h"

#include "common/log.h"

namespace raptor::api {

std::shared_ptr<queue::contract::QueueClient> embed_queue(web::App&, const web::Config&,
                                                          std::function<void(std::string&)>) {
  common::log::warn("queue_not_mounted", {{"reason", "FLAG_QUEUE_V1 is on but this build has no embedded Queue; "
                                                     "set RAPTOR_QUEUE_URL to use a remote one"}});
  return nullptr;
}

}  // namespace raptor::api
