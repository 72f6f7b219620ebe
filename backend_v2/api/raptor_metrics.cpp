#include "backend_v2/api/raptor_metrics.h"

#include "backend_v2/api/version.h"
#include "common/metrics/text_writer.h"

namespace raptor::api {

RaptorMetrics::RaptorMetrics() : requests_(std::make_shared<web::RequestMetrics>("raptor", "Raptor's routes")) {}

void RaptorMetrics::write(std::string& exposition) const {
  common::metrics::TextWriter out;
  out.family("raptor_info", "gauge", "Always 1: Raptor's release, and how it reaches Queue (in_process, remote, off).");
  out.sample("raptor_info",
             {{"version", std::string(raptor::version)},
              {"queue_mode", std::string(to_string(queue_mode_.load(std::memory_order_relaxed)))}},
             std::uint64_t{1});
  requests_->write(out);
  exposition += out.text();
}

}  // namespace raptor::api
