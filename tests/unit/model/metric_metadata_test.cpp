// Metric type names must round-trip, since the writer prints what the parser read.
#include "common/model/metric_metadata.hpp"

#include <catch2/catch.hpp>

TEST_CASE("metric type names are the OpenMetrics spellings", "[metadata]") {
  CHECK(mc::metric_type_name(mc::MetricType::unknown) == "unknown");
  CHECK(mc::metric_type_name(mc::MetricType::counter) == "counter");
  CHECK(mc::metric_type_name(mc::MetricType::gauge) == "gauge");
  CHECK(mc::metric_type_name(mc::MetricType::histogram) == "histogram");
  CHECK(mc::metric_type_name(mc::MetricType::gaugehistogram) == "gaugehistogram");
  CHECK(mc::metric_type_name(mc::MetricType::summary) == "summary");
  CHECK(mc::metric_type_name(mc::MetricType::info) == "info");
  CHECK(mc::metric_type_name(mc::MetricType::stateset) == "stateset");
}

TEST_CASE("parse_metric_type round-trips every type", "[metadata]") {
  auto type = GENERATE(mc::MetricType::unknown, mc::MetricType::counter, mc::MetricType::gauge,
                       mc::MetricType::histogram, mc::MetricType::gaugehistogram,
                       mc::MetricType::summary, mc::MetricType::info, mc::MetricType::stateset);
  auto parsed = mc::parse_metric_type(mc::metric_type_name(type));
  REQUIRE(parsed.has_value());
  CHECK(*parsed == type);
}

TEST_CASE("parse_metric_type accepts untyped and rejects the rest", "[metadata]") {
  CHECK(mc::parse_metric_type("untyped") == mc::MetricType::unknown);
  CHECK_FALSE(mc::parse_metric_type("Counter").has_value());  // case matters in both formats
  CHECK_FALSE(mc::parse_metric_type("").has_value());
  CHECK_FALSE(mc::parse_metric_type("counter ").has_value());
  CHECK_FALSE(mc::parse_metric_type("histograms").has_value());
}

TEST_CASE("MetricMetadata compares by every field", "[metadata]") {
  mc::MetricMetadata a{"http_requests", mc::MetricType::counter, "Requests.", ""};
  mc::MetricMetadata b = a;
  CHECK(a == b);
  b.help = "Other.";
  CHECK(a != b);
  b = a;
  b.unit = "seconds";
  CHECK(a != b);
  b = a;
  b.type = mc::MetricType::gauge;
  CHECK(a != b);
  CHECK(mc::MetricMetadata{}.type == mc::MetricType::unknown);
}
