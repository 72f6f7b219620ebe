#include "backend_v2/api/exports_blueprint.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <string>
#include <utility>

#include "backend_v2/api/errors.h"
#include "backend_v2/api/queue_errors.h"
#include "web/json.h"

namespace raptor::api {
namespace {

namespace contract = queue::contract;
using Client = std::shared_ptr<contract::QueueClient>;

constexpr const char* exports_queue = "raptor-exports";
// Queue answers a send once it is durable: milliseconds normally. Past this, the
// client would rather hear 504 than wait on.
constexpr std::chrono::seconds queue_call_timeout{5};
constexpr std::size_t report_name_max = 200;

[[noreturn]] void bad_request(std::string message) {
  throw web::HttpError(400, web::codes::bad_request, std::move(message));
}

// Checked before the body: with no Queue configured the feature is off, whatever is asked.
void require_queue(const Client& queue) {
  if (queue) return;
  web::Error disabled = queue_disabled_error();
  throw web::HttpError(disabled.status, std::move(disabled.code), std::move(disabled.message));
}

// {"report":"...","format":"csv"|"json"} -> the job's message.
contract::OutgoingMessage export_job(const web::Request& request) {
  boost::json::object body = web::parse_json_object_body(request);
  const boost::json::value* report = body.if_contains("report");
  if (report == nullptr || !report->is_string() || report->get_string().empty() ||
      report->get_string().size() > report_name_max) {
    bad_request("report must be a string of 1 to " + std::to_string(report_name_max) + " characters");
  }
  std::string format = "csv";
  if (const boost::json::value* given = body.if_contains("format")) {
    if (!given->is_string() || (given->get_string() != "csv" && given->get_string() != "json")) {
      bad_request("format must be \"csv\" or \"json\"");
    }
    format = std::string(given->get_string());
  }

  contract::OutgoingMessage job;
  job.body = boost::json::serialize(boost::json::object{{"type", "export_report"},
                                                        {"report", report->get_string()},
                                                        {"format", format},
                                                        {"request_id", request.request_id()}});
  job.attributes = {{"type", "export_report"}};
  // A client retrying after a lost answer sends the same key: Queue enqueues the job once.
  if (auto key = request.header("Idempotency-Key")) job.dedup_id = std::string(*key);
  return job;
}

// Sends the job, creating the queue on first use (or after someone deleted it): no
// start-up step that would need Queue to be up before Raptor serves.
void enqueue(Client queue, contract::OutgoingMessage job, contract::CallOptions call,
             contract::Callback<contract::SendResult> done) {
  // Kept for a second attempt; a job is a few hundred bytes.
  contract::OutgoingMessage retry = job;
  queue->async_send(
      exports_queue, {std::move(job)}, call,
      [queue, retry = std::move(retry), call, done = std::move(done)](contract::Result<contract::SendResult> sent) mutable {
        if (sent.ok() || sent.error().code != contract::ErrorCode::queue_not_found) {
          done(std::move(sent));
          return;
        }
        queue->async_put_queue(exports_queue, {}, call,
                               [queue, retry = std::move(retry), call, done = std::move(done)](
                                   contract::Result<contract::PutQueueResult> created) mutable {
                                 if (!created.ok()) {
                                   done(created.error());
                                   return;
                                 }
                                 queue->async_send(exports_queue, {std::move(retry)}, call, std::move(done));
                               });
      });
}

void request_export(const Client& queue, web::Request& request, web::Responder responder) {
  require_queue(queue);
  contract::OutgoingMessage job = export_job(request);
  enqueue(queue, std::move(job), contract::within(queue_call_timeout),
          [responder = std::move(responder)](contract::Result<contract::SendResult> sent) {
            if (!sent.ok()) {
              responder.send_error(from_queue_error(sent.error()));
              return;
            }
            // One message sent, one id back (the contract's promise); front() is safe.
            boost::json::object job_json{{"id", sent->ids.front()}, {"queue", exports_queue}};
            responder.send(web::json(202, boost::json::object{{"status", "accepted"}, {"job", job_json}}));
          });
}

void queue_status(const Client& queue, web::Request&, web::Responder responder) {
  require_queue(queue);
  queue->async_get_queue(
      exports_queue, contract::within(queue_call_timeout),
      [responder = std::move(responder)](contract::Result<contract::QueueInfo> info) {
        contract::QueueStats stats;
        if (info.ok()) {
          stats = info->stats;
        } else if (info.error().code != contract::ErrorCode::queue_not_found) {
          responder.send_error(from_queue_error(info.error()));
          return;
        }  // not found: no export was ever requested, nothing is waiting
        responder.send(web::json(200, boost::json::object{{"queue", exports_queue},
                                                          {"visible", stats.visible},
                                                          {"in_flight", stats.in_flight},
                                                          {"delayed", stats.delayed},
                                                          {"oldest_age_s", stats.oldest_age_s}}));
      });
}

}  // namespace

web::Blueprint create_exports_blueprint(std::shared_ptr<contract::QueueClient> queue) {
  web::Blueprint blueprint("raptor_exports", "/api/v1/raptor/exports");
  blueprint.error_handler(error_response);
  blueprint.route_async("POST", "", [queue](web::Request& request, web::Responder responder) {
    request_export(queue, request, std::move(responder));
  });
  blueprint.route_async("GET", "/queue", [queue](web::Request& request, web::Responder responder) {
    queue_status(queue, request, std::move(responder));
  });
  return blueprint;
}

}  // namespace raptor::api
