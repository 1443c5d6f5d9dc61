#include "exporter/exporter.hpp"

#include "common/util/logger.hpp"
#include "exporter/build_info.hpp"
#include "exporter/health_routes.hpp"
#include "exporter/landing_page.hpp"
#include "exporter/lifecycle_routes.hpp"
#include "exporter/metrics_routes.hpp"

namespace mc {

Exporter::Exporter(const ExporterOptions& options, Storage& storage,
                   std::shared_ptr<prometheus::Registry> registry)
    : renderer_(MetricsRendererOptions{options.lookback, options.external_labels}, storage,
                std::move(registry)) {}

Result<std::unique_ptr<Exporter>> Exporter::start(
    const ExporterOptions& options, Storage& storage,
    const std::shared_ptr<prometheus::Registry>& registry) {
  if (!registry) return Status::error("exporter: no meta-metrics registry given");
  std::unique_ptr<Exporter> exporter(new Exporter(options, storage, registry));

  RouteTable routes;
  std::vector<Route> all = {
      metrics_route("/metrics", exporter->renderer_, true),
      metrics_route("/metrics/self", exporter->renderer_, false),
      healthy_route(),
      ready_route(exporter->ready_),
      landing_page_route(),
      reload_route(options.enable_lifecycle, options.reload),
      quit_route(options.enable_lifecycle, options.quit),
  };
  all.insert(all.end(), options.routes.begin(), options.routes.end());
  for (Route& route : all) {
    if (Status added = routes.add(std::move(route)); !added) {
      return Status::error("exporter: " + added.message());
    }
  }

  if (auto status = register_build_info(*registry, {options.version, options.revision, ""});
      !status) {
    return Status::error("exporter: " + status.message());
  }
  HttpServerOptions server_options{options.listen_address, options.worker_threads,
                                   options.web_config};
  auto server = HttpServer::start(std::move(server_options), std::move(routes), *registry);
  if (!server) return server.status();
  exporter->server_ = std::move(*server);
  log::info("exporter listening", {{"address", options.listen_address},
                                   {"port", exporter->port()},
                                   {"tls", options.web_config.tls.has_value()},
                                   {"basic_auth_users", options.web_config.basic_auth_users.size()},
                                   {"routes", all.size()}});
  return exporter;
}

}  // namespace mc
