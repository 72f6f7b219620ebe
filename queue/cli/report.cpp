#include "queue/cli/report.h"

#include <boost/json/serialize.hpp>

namespace queue::cli {

void print_report(const Report& report, Format format, std::ostream& out) {
  if (format == Format::json) {
    out << boost::json::serialize(report.json) << '\n';
  } else {
    out << report.text;
  }
  out.flush();
}

void print_failure(const Failure& failure, Format format, std::ostream& err) {
  if (format == Format::json) {
    boost::json::object error{{"code", failure.code()}, {"message", failure.what()}};
    error["request_id"] = failure.request_id().empty() ? boost::json::value(nullptr)
                                                        : boost::json::value(failure.request_id());
    err << boost::json::serialize(boost::json::object{{"error", std::move(error)}}) << '\n';
  } else {
    err << "queuectl: " << failure.code() << ": " << failure.what();
    if (!failure.request_id().empty()) err << " (request id " << failure.request_id() << ")";
    err << '\n';
  }
  err.flush();
}

}  // namespace queue::cli
