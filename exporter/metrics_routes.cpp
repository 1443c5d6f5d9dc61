#include "exporter/metrics_routes.hpp"

namespace mc {

Route metrics_route(std::string pattern, MetricsRenderer& renderer, bool include_store) {
  Route route;
  route.pattern = std::move(pattern);
  route.get = [&renderer, include_store](const HttpRequest& request) {
    const ExpositionFormat format = format_from_accept(request.header("Accept"));
    HttpResponse response;
    response.content_type = format == ExpositionFormat::openmetrics ? kOpenMetricsContentType
                                                                    : kPrometheusTextContentType;
    response.headers.emplace_back("Vary", "Accept, Accept-Encoding");
    response.stream_body = [&renderer, format, include_store](const BodySink& sink) {
      renderer.stream(format, include_store, sink);
    };
    response.gzip_when_accepted = true;
    return response;
  };
  return route;
}

}  // namespace mc
