// The exposition writer: metric families out as text 0.0.4 or OpenMetrics 1.0.
//
// A family is its metadata plus the newest point of each of its series; the
// writer appends them to a std::string (no streams) in a deterministic order:
// families by name, and inside a family the series grouped into OpenMetrics
// "Metrics" (series equal but for __name__ and le/quantile), each group in
// exposition order (buckets by numeric le, quantiles by numeric quantile, then
// _sum, _count, _created), groups sorted by labels.
//
// Family names follow OpenMetrics: a counter family `foo` has samples
// `foo_total` and `foo_created`. Metadata scraped from text 0.0.4 names the
// counter family `foo_total`; openmetrics_family_name() maps both to `foo`, so
// a family reads the same whichever format it was scraped in.
//
// Text 0.0.4 has no gaugehistogram, info, stateset or unknown types, nor
// _created/_gsum/_gcount samples. They are written as the Python client's
// text writer (prometheus_client generate_latest) munges them, the only
// official client that has these types: info `foo` becomes gauge `foo_info`,
// stateset a gauge, gaugehistogram a histogram, unknown `untyped`, and each
// _created/_gsum/_gcount series goes to a gauge family of its own name right
// after the main one. A counter is named after its samples (`foo_total`), as
// client_golang writes it.
//
// What is never written: StaleNaN points (a stale series is gone, not a
// value), a second series with the same labels, and in OpenMetrics a series
// whose name does not belong to its family's type (e.g. `foo` in counter
// `foo`); a family whose series are all named exactly like the family but do
// not fit the type (a text-format counter without _total) is written as
// `unknown` instead. WriteStats counts what was left out.
//
// Thread-safety: stateless functions; concurrent calls on different outputs are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/exposition/exposition_format.hpp"
#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/shared_labels.hpp"

namespace mc {

struct ExposedSeries {
  ExposedSeries(Labels labels, double value, std::optional<int64_t> timestamp_ms)
      : labels(SharedLabels(std::move(labels))), value(value), timestamp_ms(timestamp_ms) {}
  // Shared with the store: /metrics exposes every stored series, and copying
  // each label set per request would cost more than writing it.
  ExposedSeries(SharedLabels labels, double value, std::optional<int64_t> timestamp_ms)
      : labels(std::move(labels)), value(value), timestamp_ms(timestamp_ms) {}

  SharedLabels labels;  // including __name__ (the sample name, e.g. "foo_bucket"); never null
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

struct ExposedFamily {
  // metadata.family is the OpenMetrics family name (see openmetrics_family_name).
  MetricMetadata metadata;
  std::vector<ExposedSeries> series;
};

struct WriteStats {
  size_t series_written = 0;
  size_t stale_skipped = 0;       // StaleNaN points
  size_t duplicates_skipped = 0;  // same labels as the series before
  size_t misfits_skipped = 0;     // OpenMetrics: name not of the family's type
};

// The OpenMetrics family name of scraped metadata: a counter's "foo_total"
// (text 0.0.4 spelling) becomes "foo"; other names are kept.
std::string_view openmetrics_family_name(const MetricMetadata& metadata);

// Whether a sample named `series_name` belongs to OpenMetrics family `family`
// of type `type` (counter: family_total, family_created; histogram:
// family_bucket, _count, _sum, _created; ...).
bool series_fits_family(MetricType type, std::string_view family, std::string_view series_name);

// The TYPE a family is written with in text 0.0.4 ("gauge" for info and
// stateset, "untyped" for unknown); OpenMetrics keeps its own names.
std::string_view text_type_name(MetricType type);

// The family's "# HELP" (when it has help), "# TYPE" and, in OpenMetrics,
// "# UNIT" lines, escaped as `format` wants; shared by every page writer.
void append_metadata(std::string& out, std::string_view name, std::string_view type_name,
                     const MetricMetadata& metadata, ExpositionFormat format);

// Appends `families` in `format`, ordered as described above; OpenMetrics
// output ends with "# EOF". Families without series are left out.
WriteStats write_exposition(std::string& out, std::span<const ExposedFamily> families,
                            ExpositionFormat format);

}  // namespace mc
