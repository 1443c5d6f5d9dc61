// Exporter: the daemon's HTTP server on :9993, put together: an HttpServer
// (civetweb, TLS, basic auth, request metrics; http_server.hpp) whose route
// table holds the built-in pages and whatever the daemon adds:
//
//   GET /metrics        stored series + meta-metrics   (metrics_routes.hpp,
//   GET /metrics/self   the meta-metrics only           metrics_renderer.hpp)
//   GET /-/healthy      200 always;  GET /-/ready  200 after set_ready(true), else 503
//   GET /               a small landing page            (landing_page.hpp)
//   POST /-/reload      calls options.reload            (lifecycle_routes.hpp)
//   POST /-/quit        answers 200, then calls options.quit
//   options.routes      added from outside, e.g. the Prometheus HTTP API the
//                       daemon builds on mc_query
//   anything else       404; a method a route lacks 405 with Allow (route_table.hpp)
//
// Web security (options.web_config, --web.config.file): with tls_server_config
// the port speaks https only (tls_context.hpp); with basic_auth_users every
// path, health, lifecycle and added routes included, needs valid credentials,
// else 401 with `WWW-Authenticate: Basic`, counted in
// metrics_collector_http_auth_failures_total (basic_auth.hpp, http_metrics.hpp).
// Nothing about the credentials is logged.
//
// Meta-metrics: start() registers metrics_collector_http_* (labelled by route
// pattern) and metrics_collector_build_info into `registry`; other components
// register their meta-metrics into `registry` as usual.
//
// Thread-safety: requests run on civetweb's worker threads; set_ready() and
// port() may be called from any thread. The Storage, and whatever the added
// routes use, must outlive the Exporter. The destructor stops the server and
// waits for requests in flight.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "common/config/config.hpp"
#include "common/config/web_config.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/store/storage.hpp"
#include "common/util/build_version.hpp"
#include "common/util/status.hpp"
#include "exporter/http_server.hpp"
#include "exporter/metrics_renderer.hpp"
#include "exporter/route_table.hpp"

namespace mc {

struct ExporterOptions {
  // "host:port", ":port" (all IPv4 interfaces) or "[v6addr]:port"; port 0 picks a free port.
  std::string listen_address = ":9993";
  int worker_threads = 4;
  // How far back /metrics looks for a series' newest sample (Prometheus's
  // query.lookback-delta).
  Duration lookback = std::chrono::minutes(5);
  // The config's global.external_labels: added to every stored series on
  // /metrics that does not have the label itself (as Prometheus's /federate).
  std::vector<Label> external_labels;
  // For metrics_collector_build_info; the daemon passes its own.
  std::string version{build_version()};
  std::string revision{build_revision()};
  // --web.config.file: TLS on the listening port, basic auth on every path.
  WebConfig web_config;
  // --web.enable-lifecycle: without it, POST /-/reload and /-/quit answer 403.
  bool enable_lifecycle = false;
  // POST /-/reload, on a civetweb worker thread; an error becomes the 500 body.
  // Unset: 500 "reload is not available".
  std::function<Status()> reload;
  // POST /-/quit, after the answer is sent; must return at once (the daemon
  // raises SIGTERM), since stopping the server waits for this request.
  std::function<void()> quit;
  // Routes registered from outside, served beside the built-in ones, with the
  // same auth, TLS and request metrics. A pattern taken twice fails start().
  std::vector<Route> routes;
};

class Exporter {
 public:
  // Starts the server. Fails with "cannot listen on <address>: <reason>" when
  // the address is invalid or taken, with "route ..." when a route cannot be
  // registered, or when the meta-metrics cannot be registered.
  static Result<std::unique_ptr<Exporter>> start(
      const ExporterOptions& options, Storage& storage,
      const std::shared_ptr<prometheus::Registry>& registry);
  ~Exporter() = default;
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const { return server_->port(); }
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

  // The bodies /metrics (include_store) and /metrics/self serve, uncompressed.
  std::string render_metrics(ExpositionFormat format, bool include_store) {
    return renderer_.render(format, include_store);
  }

 private:
  Exporter(const ExporterOptions& options, Storage& storage,
           std::shared_ptr<prometheus::Registry> registry);

  MetricsRenderer renderer_;
  std::atomic<bool> ready_{false};
  // Last, so it stops (and its handlers finish) before what they use goes.
  std::unique_ptr<HttpServer> server_;
};

}  // namespace mc
