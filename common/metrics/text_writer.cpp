#include "common/metrics/text_writer.h"

#include <charconv>
#include <cmath>

namespace common::metrics {
namespace {

// HELP text escapes only backslash and newline.
std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_value(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void TextWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  text_ += escape_help(help);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
}

void TextWriter::write_name(std::string_view name, const Labels& labels) {
  text_ += name;
  if (labels.empty()) return;
  text_ += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += labels[i].first;
    text_ += "=\"";
    text_ += escape_label_value(labels[i].second);
    text_ += '"';
  }
  text_ += '}';
}

void TextWriter::sample(std::string_view name, const Labels& labels, double value) {
  write_name(name, labels);
  text_ += ' ';
  text_ += format_value(value);
  text_ += '\n';
}

void TextWriter::sample(std::string_view name, const Labels& labels, std::uint64_t value) {
  write_name(name, labels);
  text_ += ' ';
  text_ += std::to_string(value);
  text_ += '\n';
}

}  // namespace common::metrics
