// What a command prints: the same answer as JSON (`-o json`, stable, docs/queuectl.md)
// and as text for people (`-o table`, the default, free to change). Commands build a
// Report; print_report writes the one the user chose, print_failure the error.
#pragma once

#include <ostream>
#include <string>

#include <boost/json/value.hpp>

#include "queue/cli/failure.h"

namespace queue::cli {

enum class Format { table, json };

struct Report {
  boost::json::value json;
  std::string text;  // ends with '\n' (a rendered Table, or a sentence)
};

// JSON: one compact document on one line, then '\n'.
void print_report(const Report& report, Format format, std::ostream& out);

// JSON: {"error":{"code","message","request_id"}} on one line (request_id null when
// the call never reached Queue); table: "queuectl: <code>: <message>".
void print_failure(const Failure& failure, Format format, std::ostream& err);

}  // namespace queue::cli
