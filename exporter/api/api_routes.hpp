// api_routes: the Prometheus HTTP API that reads the store, for
// ExporterOptions::routes: series, labels, label values, metadata,
// query_exemplars, status/* and /federate. The PromQL routes (query,
// query_range) need a QueryEngine and come from api_query_routes.hpp.
#pragma once

#include <vector>

#include "common/store/storage.hpp"
#include "exporter/api/api_options.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `storage` must outlive the routes.
std::vector<Route> store_api_routes(Storage& storage, const ApiOptions& options);

}  // namespace mc::api
