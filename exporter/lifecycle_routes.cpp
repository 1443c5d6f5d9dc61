#include "exporter/lifecycle_routes.hpp"

namespace mc {

namespace {

// Prometheus's words, so scripts written against it read the same answer.
HttpResponse lifecycle_disabled() {
  return HttpResponse::text(403, "Lifecycle API is not enabled.\n");
}

}  // namespace

Route reload_route(bool enabled, std::function<Status()> reload) {
  Route route;
  route.pattern = "/-/reload";
  route.post = [enabled, reload = std::move(reload)](const HttpRequest&) {
    if (!enabled) return lifecycle_disabled();
    Status reloaded = reload ? reload() : Status::error("reload is not available");
    if (!reloaded) {
      return HttpResponse::text(500, "failed to reload config: " + reloaded.message() + "\n");
    }
    return HttpResponse::text(200, "");
  };
  return route;
}

Route quit_route(bool enabled, std::function<void()> quit) {
  Route route;
  route.pattern = "/-/quit";
  route.post = [enabled, quit = std::move(quit)](const HttpRequest&) {
    if (!enabled) return lifecycle_disabled();
    HttpResponse response = HttpResponse::text(200, "Requesting termination... Goodbye!\n");
    response.after_sent = quit;
    return response;
  };
  return route;
}

}  // namespace mc
