// QuerySeries: the series one configured SQL query produces, and how a result
// table becomes samples in the store.
//
// Each value column makes one metric, <metric><suffix>; each row makes one
// series of each such metric, labelled by the query's static labels and its
// label columns (a NULL or empty label value leaves the label out, as an
// empty value does in Prometheus). A NULL value skips that sample.
//
// Series life, per successful run:
//  - a series in the result gets the row's value;
//  - a declared series (no label columns, or label values listed in
//    initial_label_values) missing from the result, or NULL, gets 0;
//  - any other series that was in the previous result gets a stale marker,
//    so it leaves /metrics at once, as a vanished scraped series does.
// A failed run changes nothing; until the first success, append_declared_zeros()
// keeps the declared series at 0 so none is missing while the database is away.
//
// Samples carry family metadata: the query's type, and its help followed by
// "(refreshed every N seconds)".
//
// Hot path: a series is looked up by the bytes of its label values in a
// reused buffer; labels are built and hashed only for a series seen first.
//
// Thread-safety: none; one query runs on one thread at a time (the SQL
// collector never runs a query twice at once).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/sql/column_conversion.hpp"
#include "collector/sql/result_table.hpp"
#include "common/config/config.hpp"
#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/appender.hpp"
#include "common/util/status.hpp"

namespace mc {

// What one run appended, for logs and meta-metrics.
struct QueryRunStats {
  uint64_t rows = 0;
  uint64_t samples = 0;                         // values from the result
  uint64_t zeros = 0;                           // declared series missing from the result
  uint64_t stale_markers = 0;                   // series gone from the result
  std::map<std::string, uint64_t> null_values;  // by value column; only columns with NULLs
};

class QuerySeries {
 public:
  // `refresh_interval`: how often the query runs, for the HELP text.
  QuerySeries(const SqlQueryConfig& query, std::chrono::milliseconds refresh_interval);

  // Appends the samples of `table` at `t_ms` (nothing is committed here).
  // Fails, with a message naming the column or rows, when a configured column
  // is missing, a value cannot be converted, a label value is not UTF-8, or
  // two rows make the same series; the caller then rolls back.
  Status append_result(const ResultTable& table, Appender& appender, int64_t t_ms,
                       QueryRunStats& stats);

  // The column checks of append_result alone: every configured column is in
  // `table` and every value column has a type that converts. Needs no rows
  // (check sql gives it the columns of a result with none).
  Status check_columns(const ResultTable& table);
  // Appends 0 at `t_ms` for every declared series. Returns how many.
  uint64_t append_declared_zeros(Appender& appender, int64_t t_ms);

  const std::vector<MetricMetadata>& metadata() const { return metadata_; }

 private:
  struct SeriesEntry {
    Labels labels;
    SeriesRef ref = 0;
    SeriesRef metadata_ref = 0;  // the ref metadata was last sent for
    uint64_t seen_run = 0;       // run that gave it a value
    bool live = false;           // its newest sample is a value, not a stale marker
    bool declared = false;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using SeriesMap = std::unordered_map<std::string, SeriesEntry, StringHash, std::equal_to<>>;

  Status locate_columns(const ResultTable& table);  // fills the *_positions_ and value_kinds_
  SeriesEntry& find_or_create(size_t metric_index, std::string_view key,
                              const std::vector<std::string_view>& label_values, bool declared);
  void append_entry(size_t metric_index, SeriesEntry& entry, Appender& appender, int64_t t_ms,
                    double value);

  const SqlQueryConfig query_;
  std::vector<MetricMetadata> metadata_;  // one per value column
  std::vector<SeriesMap> series_;         // one per value column; key: label values
  uint64_t run_ = 0;
  // Reused per row, so a run allocates only for new series.
  std::string key_buffer_;
  std::vector<std::string_view> label_values_;
  std::vector<size_t> label_positions_;
  std::vector<size_t> value_positions_;
  std::vector<ValueColumnKind> value_kinds_;  // of value_positions_
};

}  // namespace mc
