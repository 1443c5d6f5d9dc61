#include "exporter/health_routes.hpp"

namespace mc {

Route healthy_route() {
  Route route;
  route.pattern = "/-/healthy";
  route.get = [](const HttpRequest&) {
    return HttpResponse::text(200, "Metrics Collector is Healthy.\n");
  };
  return route;
}

Route ready_route(const std::atomic<bool>& ready) {
  Route route;
  route.pattern = "/-/ready";
  route.get = [&ready](const HttpRequest&) {
    if (ready.load(std::memory_order_relaxed)) {
      return HttpResponse::text(200, "Metrics Collector is Ready.\n");
    }
    return HttpResponse::text(503, "Service Unavailable\n");
  };
  return route;
}

}  // namespace mc
