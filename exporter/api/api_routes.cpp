#include "exporter/api/api_routes.hpp"

#include "exporter/api/api_metadata_route.hpp"
#include "exporter/api/api_series_routes.hpp"
#include "exporter/api/api_status_routes.hpp"
#include "exporter/api/federate_route.hpp"

namespace mc::api {

std::vector<Route> store_api_routes(Storage& storage, const ApiOptions& options) {
  std::vector<Route> routes = series_routes(storage);
  routes.push_back(metadata_route(storage));
  for (Route& route : status_routes(storage, options)) routes.push_back(std::move(route));
  routes.push_back(federate_route(storage, options.external_labels, options.lookback_delta));
  return routes;
}

}  // namespace mc::api
