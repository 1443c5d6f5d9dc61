// The /metrics and /metrics/self routes: content negotiation around
// MetricsRenderer. OpenMetrics when the Accept header asks for it (as
// Prometheus does), else text 0.0.4; gzip when Accept-Encoding allows it.
// The page is streamed (MetricsRenderer::stream) as the server sends it, and
// given up once the client's X-Prometheus-Scrape-Timeout-Seconds has passed.
#pragma once

#include <string>

#include "exporter/metrics_renderer.hpp"
#include "exporter/route_table.hpp"

namespace mc {

// GET `pattern`: the stored series and the meta-metrics (include_store), or
// the meta-metrics only. `renderer` must outlive the route.
Route metrics_route(std::string pattern, MetricsRenderer& renderer, bool include_store);

}  // namespace mc
