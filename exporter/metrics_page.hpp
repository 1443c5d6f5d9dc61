// MetricsPage: the /metrics page written in the order the store hands series
// out, grouped by family but not sorted, in pieces through a BodyBuffer.
//
// What it writes is what FamilySet + write_exposition write (the same
// families, metadata, series and values, the same rules for conflicts,
// text-format munging and OpenMetrics misfits; see family_set.hpp and
// common/exposition/writer.hpp), in another order:
//   - families by name, as before (a few hundred; cheap);
//   - text 0.0.4: inside a family, series in store order. The format needs
//     only a family's lines together under one HELP/TYPE; Prometheus's scrape
//     parser and expfmt's TextParser (promtool) take a histogram's or
//     summary's lines in any order, finding each Metric by its labels.
//   - OpenMetrics: the samples of one Metric (equal labels but __name__ and
//     le/quantile) must be adjacent, buckets by increasing le, then _sum,
//     _count, _created. Gauges, unknown, stateset, info and counters without
//     _created are one sample per Metric and go in store order; the other
//     families are grouped by the cached metric hash (exact: checked against
//     the group's first labels) and sorted by (group, rank, bound), integer
//     keys only, no label comparisons.
// So equal stores no longer give equal bytes; equal sets of lines they do.
//
// Duplicates (a stored series equal to a meta-metric, or two series made
// equal by external labels) are dropped as the sorted writer drops them.
//
// Each row carries its text, its interned sample name, value and timestamp,
// copied while the cache entry is at hand: writing reads the rows front to
// back and the texts, never the entries again (200,000 of them do not stay
// in any cache between adding and writing). Rows are gathered in one vector
// and grouped by family once, at write(), in RowBuffers the caller may keep
// from one request to the next, so a page allocates nothing per series.
//
// Thread-safety: none; one page per request.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/exposition/exposition_format.hpp"
#include "common/exposition/writer.hpp"
#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"
#include "common/model/shared_labels.hpp"
#include "exporter/body_buffer.hpp"
#include "exporter/series_prefix_cache.hpp"
#include "exporter/text_arena.hpp"

namespace mc {

class MetricsPage {
 private:
  static constexpr int64_t kNoTimestamp = INT64_MIN;

  struct Row {
    std::string_view text;       // name{labels}
    const std::string* name;     // the sample name, interned (few, so their bytes stay cached)
    const SeriesPrefix* prefix;  // grouping fields, read for OpenMetrics histograms and summaries
    double value;
    int64_t t_ms;  // kNoTimestamp: none
  };

 public:
  // Where a page gathers its rows; kept by the caller, the vectors keep their
  // capacity from one page to the next.
  struct RowBuffers {
    std::vector<Row> added;              // in the order added
    std::vector<uint32_t> family_index;  // of each added row
    std::vector<Row> grouped;            // family by family, each in the order added
  };

  // `buffers` must outlive the page and serve one page at a time; null: the page's own.
  MetricsPage(std::vector<Label> external_labels, RowBuffers* buffers);
  MetricsPage(const MetricsPage&) = delete;
  MetricsPage& operator=(const MetricsPage&) = delete;

  // REQUIRES: every registry family is added before any stored series, and
  // family.metadata.family is an OpenMetrics family name.
  void add_registry_family(const ExposedFamily& family);
  // A stored series whose prefix the cache holds; `prefix` must outlive write().
  // StaleNaN points are ignored.
  void add_stored_series(const SeriesPrefix& prefix, const MetricMetadata* metadata, Sample sample);
  // A stored series the cache could not take: its prefix is made here.
  void add_uncached_series(SharedLabels labels, const MetricMetadata* metadata, Sample sample);

  // Writes the page; stops early when `out` can no longer send.
  void write(ExpositionFormat format, BodyBuffer& out);
  // Names of families whose stored type differed from the registry's.
  const std::vector<std::string>& type_conflicts() const { return type_conflicts_; }
  size_t series_written() const { return series_written_; }

 private:
  using Rows = std::span<const Row>;
  struct Family {
    std::string key;     // the text 0.0.4 name (see family_set.hpp)
    uint32_t index = 0;  // in families_
    MetricMetadata metadata;
    bool from_registry = false;
    bool has_stored_metadata = false;
    size_t registry_rows = 0;  // the first rows came from the registry
    size_t row_count = 0;
    Rows rows;  // in buffers_->grouped, once write() grouped them
  };

  Family& family_for(std::string_view key, std::string_view family_name);
  Family& family_of_metadata(const MetricMetadata& metadata);
  void add_row(const SeriesPrefix& prefix, const MetricMetadata* metadata, Sample sample);
  void add_to_family(Family& family, const SeriesPrefix& prefix, double value, int64_t t_ms);
  // A prefix of the page's own (meta-metrics, uncached series), its text and name stored here.
  SeriesPrefix& own_prefix(const Labels& labels, const std::vector<Label>& external_labels);
  void note_conflict(const std::string& name);
  void rename_openmetrics_counters();
  void group_rows();

  Rows unique_rows(const Family& family, std::vector<Row>& scratch);
  void write_text_family(const Family& family, Rows rows, BodyBuffer& out);
  void write_openmetrics_family(const Family& family, Rows rows, BodyBuffer& out);
  void write_row(const Row& row, ExpositionFormat format, std::string& out);
  void write_rows_in_order(Rows rows, ExpositionFormat format, BodyBuffer& out);

  const std::vector<Label> external_labels_;
  RowBuffers own_buffers_;
  RowBuffers* const buffers_;
  std::deque<Family> families_;  // a deque keeps families in place for the indexes
  std::unordered_map<std::string_view, Family*> by_key_;
  std::unordered_map<const MetricMetadata*, Family*> by_metadata_;  // interned by the store
  const MetricMetadata* last_metadata_ = nullptr;  // the last lookup of by_metadata_
  Family* last_family_ = nullptr;
  // Meta-metrics and uncached series, in chunks that grow (64 .. 4,096
  // prefixes): a deque's 512-byte blocks cost an allocation per 6 prefixes.
  std::vector<std::unique_ptr<SeriesPrefix[]>> own_prefixes_;
  size_t own_chunk_size_ = 0;  // of the last chunk
  size_t own_chunk_used_ = 0;
  TextArena own_texts_;      // their texts
  InternedNames own_names_;  // their sample names
  std::string scratch_text_;
  std::unordered_map<std::string_view, char> seen_texts_;  // duplicate check, when needed
  std::vector<std::string> type_conflicts_;
  size_t series_written_ = 0;
  int64_t last_timestamp_ = kNoTimestamp;  // the timestamp last written, and its text
  std::string last_timestamp_text_;
};

}  // namespace mc
