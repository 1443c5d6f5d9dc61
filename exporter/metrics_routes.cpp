#include "exporter/metrics_routes.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

namespace mc {

namespace {

// When the client gives up on this request: Prometheus (and vmagent) send
// their scrape timeout in seconds ("1", "0.5", "10"). Other clients, or a
// value that is not a positive number, get no deadline.
RenderDeadline client_scrape_deadline(const HttpRequest& request) {
  const std::string_view text = request.header("X-Prometheus-Scrape-Timeout-Seconds");
  double seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(seconds) || seconds <= 0 || seconds > 86'400) {
    return kNoRenderDeadline;
  }
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(seconds));
}

}  // namespace

Route metrics_route(std::string pattern, MetricsRenderer& renderer, bool include_store) {
  Route route;
  route.pattern = std::move(pattern);
  route.get = [&renderer, include_store](const HttpRequest& request) {
    const ExpositionFormat format = format_from_accept(request.header("Accept"));
    HttpResponse response;
    response.content_type = format == ExpositionFormat::openmetrics ? kOpenMetricsContentType
                                                                    : kPrometheusTextContentType;
    response.headers.emplace_back("Vary", "Accept, Accept-Encoding");
    const RenderDeadline deadline = client_scrape_deadline(request);
    response.stream_body = [&renderer, format, include_store, deadline](const BodySink& sink) {
      renderer.stream(format, include_store, sink, deadline);
    };
    response.gzip_when_accepted = true;
    return response;
  };
  return route;
}

}  // namespace mc
