// The two text exposition formats we read and write, and content negotiation.
#pragma once

#include <string_view>

namespace mc {

enum class ExpositionFormat {
  prometheus_text,  // text format 0.0.4: text/plain; version=0.0.4
  openmetrics,      // OpenMetrics 1.0 text: application/openmetrics-text; version=1.0.0
};

inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kOpenMetricsContentType =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";

// The Accept header a scraper sends: OpenMetrics first, then text 0.0.4, then anything.
inline constexpr std::string_view kScrapeAcceptHeader =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

// The format of a response body from its Content-Type header; anything that is
// not OpenMetrics is read as text 0.0.4, as Prometheus does.
ExpositionFormat format_from_content_type(std::string_view content_type);

// The format to answer with for a request's Accept header.
ExpositionFormat format_from_accept(std::string_view accept);

}  // namespace mc
