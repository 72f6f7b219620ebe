// common/metrics: the Prometheus text format written by hand (escaping, numbers) and
// histograms (cumulative buckets, +Inf, sum and count).
#include <gtest/gtest.h>

#include "common/metrics/family.h"
#include "common/metrics/histogram.h"
#include "common/metrics/text_writer.h"

namespace {

using common::metrics::Histogram;
using common::metrics::TextWriter;

TEST(MetricsText, FamiliesAndSamplesInTheExpositionFormat) {
  TextWriter out;
  out.family("queue_x_total", "counter", "Things.\nCounted \\ here.");
  out.sample("queue_x_total", {{"queue", "a\"b\\c\nd"}, {"reason", "r"}}, std::uint64_t{18446744073709551615u});
  out.sample("queue_y", {}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP queue_x_total Things.\\nCounted \\\\ here.\n"
            "# TYPE queue_x_total counter\n"
            "queue_x_total{queue=\"a\\\"b\\\\c\\nd\",reason=\"r\"} 18446744073709551615\n"
            "queue_y 0.25\n");
}

TEST(MetricsText, SpecialNumbers) {
  EXPECT_EQ(common::metrics::format_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(common::metrics::format_value(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(common::metrics::format_value(0.0 / 0.0), "NaN");
  EXPECT_EQ(common::metrics::format_value(0.5), "0.5");
  EXPECT_EQ(common::metrics::format_value(1e-4), "1e-04");  // shortest round trip; Prometheus parses it
}

TEST(MetricsHistogram, BucketsAreCumulativeWithInfSumAndCount) {
  Histogram histogram({0.25, 1});
  for (double value : {0.125, 0.25, 0.5, 7.0}) histogram.observe(value);
  TextWriter out;
  histogram.write(out, "h", {{"route", "/x"}});
  EXPECT_EQ(out.text(),
            "h_bucket{route=\"/x\",le=\"0.25\"} 2\n"
            "h_bucket{route=\"/x\",le=\"1\"} 3\n"
            "h_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "h_sum{route=\"/x\"} 7.875\n"
            "h_count{route=\"/x\"} 4\n");
}

TEST(MetricsFamily, OneChildPerLabelSetInLabelOrder) {
  common::metrics::Family<Histogram> family([] { return std::make_unique<Histogram>(std::vector<double>{1}); });
  family.child({{"q", "b"}}).observe(1);
  family.child({{"q", "a"}}).observe(1);
  family.child({{"q", "b"}}).observe(1);
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  family.each([&](const auto& labels, const Histogram& h) { seen.emplace_back(labels[0].second, h.count()); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::uint64_t>>{{"a", 1}, {"b", 2}}));
}

}  // namespace
