// Content types and Accept negotiation decide which format a scrape reads and
// which one /metrics writes; Prometheus and curl must each get what they expect.
#include "common/exposition/exposition_format.hpp"

#include <catch2/catch.hpp>

using mc::ExpositionFormat;

TEST_CASE("content type constants", "[exposition_format]") {
  CHECK(mc::kPrometheusTextContentType == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(mc::kOpenMetricsContentType ==
        "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

TEST_CASE("format_from_content_type", "[exposition_format]") {
  CHECK(mc::format_from_content_type(mc::kOpenMetricsContentType) == ExpositionFormat::openmetrics);
  CHECK(mc::format_from_content_type(mc::kPrometheusTextContentType) ==
        ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_content_type("application/openmetrics-text") ==
        ExpositionFormat::openmetrics);
  CHECK(mc::format_from_content_type("Application/OpenMetrics-Text; version=0.0.1") ==
        ExpositionFormat::openmetrics);
  CHECK(mc::format_from_content_type("  application/openmetrics-text ;version=1.0.0") ==
        ExpositionFormat::openmetrics);
  // Anything else is read as text 0.0.4, as Prometheus does.
  CHECK(mc::format_from_content_type("") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_content_type("text/plain") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_content_type("application/json") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_content_type("application/openmetrics-textual") ==
        ExpositionFormat::prometheus_text);
}

TEST_CASE("Prometheus's Accept headers get OpenMetrics", "[exposition_format]") {
  CHECK(mc::format_from_accept(mc::kScrapeAcceptHeader) == ExpositionFormat::openmetrics);
  // Prometheus 2.x scrape_protocols default.
  CHECK(mc::format_from_accept(
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
            "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1") == ExpositionFormat::openmetrics);
  // Prometheus 3.x, with escaping parameters and every entry weighted.
  CHECK(mc::format_from_accept(
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
            "application/openmetrics-text;version=0.0.1;q=0.4,"
            "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
            "text/plain;version=0.0.4;q=0.2,*/*;q=0.1") == ExpositionFormat::openmetrics);
  CHECK(mc::format_from_accept("APPLICATION/OPENMETRICS-TEXT") == ExpositionFormat::openmetrics);
}

TEST_CASE("curl, browsers and refusals get text 0.0.4", "[exposition_format]") {
  CHECK(mc::format_from_accept("*/*") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept("") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept("text/plain") == ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8") ==
        ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept("application/openmetrics-text;q=0") ==
        ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept("application/openmetrics-text; version=1.0.0; q=0.0, */*") ==
        ExpositionFormat::prometheus_text);
}

// Regression: client_golang's NegotiateIncludingOpenMetrics walks the Accept
// entries by quality, highest first, and serves OpenMetrics only for version
// 0.0.1, 1.0.0 or none; we once answered OpenMetrics for any nonzero quality.
TEST_CASE("regression: Accept negotiation honours quality order and version",
          "[exposition_format]") {
  CHECK(
      mc::format_from_accept("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.1") ==
      ExpositionFormat::prometheus_text);
  CHECK(mc::format_from_accept("application/openmetrics-text;version=2.0.0") ==
        ExpositionFormat::prometheus_text);
}
