// /federate?match[]=<selector>...: the newest sample of each matching series
// within the lookback delta, in text format 0.0.4, as Prometheus 2.42's
// web/federate.go writes it, so another Prometheus (honor_labels: true) can
// scrape this one:
//
//   # TYPE up untyped
//   up{instance="a:9100",job="node",site="lab"} 1 1796492793645
//
// Series sorted by metric name (labels within a name), each name one family,
// always `untyped`; the series' labels first, then each external label the
// series lacks; values as text 0.0.4 writes them, with their own timestamps.
// Stale series are left out. No match[] answers 200 with an empty body; a bad
// selector 400 with the parser's error as plain text.
#pragma once

#include <chrono>
#include <vector>

#include "common/model/labels.hpp"
#include "common/store/storage.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `storage` must outlive the route.
Route federate_route(Storage& storage, std::vector<Label> external_labels,
                     std::chrono::milliseconds lookback_delta);

// The body for `series` (each with its newest sample), for tests and the route.
struct FederatedSample {
  Labels labels;
  Sample sample;
};
std::string render_federation(std::vector<FederatedSample> samples,
                              const std::vector<Label>& external_labels);

}  // namespace mc::api
