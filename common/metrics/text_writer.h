// The Prometheus text exposition format (version 0.0.4), written by hand.
//
// Why not a library: Debian 12 packages no C++ Prometheus client (prometheus-cpp is
// not in bookworm; apt-cache search prometheus finds only exporters and Go/Python
// clients), and Queue needs only the text format, which is a few lines: HELP and
// TYPE per family, then `name{label="value"} number` per sample.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace common::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// The Content-Type of a scrape's answer: the version Prometheus negotiates for text.
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

class TextWriter {
 public:
  // Starts a family: `type` is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, const Labels& labels, std::uint64_t value);
  const std::string& text() const { return text_; }
  // For text already in the format (another registry's series), appended as is.
  std::string& raw() { return text_; }
  std::string take() { return std::move(text_); }

 private:
  void write_name(std::string_view name, const Labels& labels);
  std::string text_;
};

// A number as the format writes it: shortest round-trip decimal, +Inf, -Inf, NaN.
std::string format_value(double value);

// A label value as the format quotes it: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

}  // namespace common::metrics
