// api_tsdb_stats: the cardinality of the head for /api/v1/status/tsdb, as
// Prometheus 2.42 computes it from its head postings (tsdb/index
// MemPostings.Stats), over every series the head holds:
//
//   seriesCountByMetricName      series per metric name
//   labelValueCountByLabelName   distinct values per label name
//   memoryInBytesByLabelName     per label name, the bytes of its values
//                                summed over the series that carry them
//   seriesCountByLabelValuePair  series per "name=value"
//
// each the top 10 by count (ties by name; Prometheus leaves them in map
// order). headStats: numSeries, numLabelPairs (distinct name=value pairs),
// chunkCount, and minTime/maxTime, the oldest and newest sample the store
// holds (head and blocks: our head is not queried apart); with no series
// minTime is INT64_MAX and maxTime INT64_MIN, as an empty Prometheus head.
//
// Thread-safety: call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/store/storage.hpp"

namespace mc::api {

struct CountStat {
  std::string name;
  uint64_t value = 0;
};

struct TsdbStats {
  uint64_t num_series = 0;
  uint64_t num_label_pairs = 0;
  uint64_t chunk_count = 0;
  int64_t min_time_ms = INT64_MAX;
  int64_t max_time_ms = INT64_MIN;
  std::vector<CountStat> series_count_by_metric_name;
  std::vector<CountStat> label_value_count_by_label_name;
  std::vector<CountStat> memory_in_bytes_by_label_name;
  std::vector<CountStat> series_count_by_label_value_pair;
};

inline constexpr size_t kTsdbStatsTop = 10;

// The four top-10 lists and the pair count from the series' labels.
TsdbStats cardinality_stats(const std::vector<Labels>& series);

// All of it, read from the store.
TsdbStats read_tsdb_stats(Storage& storage);

// {"headStats":{...},"seriesCountByMetricName":[{"name":..,"value":..}],...}
std::string tsdb_stats_json(const TsdbStats& stats);

}  // namespace mc::api
