// api_series_select: the series of several `match[]` selectors over a time
// range, as one sorted list without duplicates (Prometheus merges the
// selectors' series sets the same way), for /api/v1/series, /labels,
// /label/<name>/values and /federate.
//
// Thread-safety: call from any thread; the Series read through their own
// querier, which the result keeps alive.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/store/storage.hpp"
#include "exporter/api/api_match_params.hpp"

namespace mc::api {

// Prometheus's bounds of "all time" for a missing start or end
// (web/api/v1 minTime and maxTime), in milliseconds.
inline constexpr int64_t kMinTimeMs = (INT64_MIN / 1000 + 62135596801) * 1000;
inline constexpr int64_t kMaxTimeMs = (INT64_MAX / 1000 - 62135596801) * 1000 + 999;

struct SelectedSeries {
  std::unique_ptr<Querier> querier;  // what the series read through
  std::vector<std::unique_ptr<Series>> series;
};

SelectedSeries select_series(Storage& storage, const std::vector<MatcherSet>& selectors,
                             int64_t start_ms, int64_t end_ms);

}  // namespace mc::api
