// The series and label routes of the Prometheus HTTP API, read from the
// store, as Prometheus 2.42 answers them (GET and form POST alike):
//
//   /api/v1/series?match[]=...&start=&end=     [{"__name__":"up",...},...]
//   /api/v1/labels[?match[]=...]&start=&end=   ["__name__","job",...]
//   /api/v1/label/<name>/values[?match[]=...]  ["api","web"]
//   /api/v1/query_exemplars?query=...          [] (no exemplars are kept)
//
// Missing start or end is all time; an end before the start selects nothing.
// Names and values come sorted; nothing found is [] (never null). 2.42 has no
// `limit` on these, so neither do we. A bad parameter is 400 bad_data with
// Prometheus's message ("no match[] parameter provided", "invalid label
// name: \"a-b\"", `invalid parameter "start": Invalid time value for
// 'start': ...`).
#pragma once

#include <vector>

#include "common/store/storage.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `storage` must outlive the routes.
std::vector<Route> series_routes(Storage& storage);

}  // namespace mc::api
