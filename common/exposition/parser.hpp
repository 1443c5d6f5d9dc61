// parse_exposition: reads a text 0.0.4 or OpenMetrics 1.0 body and hands each
// metric family and sample to a handler.
//
// It works on the caller's buffer: names, label names and label values are
// string_views into the body (an escaped label value is unescaped into a small
// scratch buffer owned by the parser). Views are valid only during the callback
// that receives them; a handler that keeps anything copies it. Nothing is
// allocated per sample, so a scraper that caches series by `SampleView::series_id`
// allocates only when a series is new.
//
// In OpenMetrics mode the parser enforces the whole OpenMetrics 1.0 grammar and
// its family rules (ordering, histogram buckets, counter values, exemplars,
// `# EOF`), and agrees with every case of the OpenMetrics conformance suite.
// Text 0.0.4 is read as Prometheus reads it.
//
// On the first error parsing stops and the Status names the line and the rule
// broken, e.g. "line 7: histogram buckets must be in increasing le order".
// Samples already handed to the handler stay handed; a scraper rolls its
// appender back when the parse fails.
//
// Thread-safety: parse_exposition keeps no global state; concurrent calls are fine.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/exposition/exposition_format.hpp"
#include "common/model/labels.hpp"  // LabelView (the parser hands out unescaped values)
#include "common/model/metric_metadata.hpp"
#include "common/util/status.hpp"

namespace mc {

struct ExemplarView {
  std::span<const LabelView> labels;  // unescaped, in written order
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

// A metric family's metadata, delivered once per family before its first sample
// (or at the end of the family when it has no samples).
struct FamilyView {
  std::string_view name;
  MetricType type = MetricType::unknown;
  std::optional<std::string_view> help;  // unescaped; nullopt when no # HELP line
  std::string_view unit;                 // OpenMetrics # UNIT; empty when absent
};

struct SampleView {
  std::string_view name;                  // the series' metric name, e.g. "foo_bucket"
  std::string_view family;                // the family it belongs to, e.g. "foo"
  MetricType type = MetricType::unknown;  // the family's type
  std::span<const LabelView> labels;      // in written order, without __name__, unescaped
  // The bytes of `name{labels}` exactly as written in the body (escapes kept).
  // Equal bytes mean the same series within one target, so it is a cache key.
  std::string_view series_id;
  double value = 0;
  std::optional<int64_t> timestamp_ms;   // converted to ms in both formats
  std::optional<ExemplarView> exemplar;  // only when ParseOptions::parse_exemplars
  uint32_t line = 0;                     // 1-based line number in the body
  // The line began with the handler's expected_series(): its labels were not
  // read again and `labels` is empty; series_id and name are as always.
  bool labels_skipped = false;
};

// A series a handler has been handed before, by its series_id.
struct KnownSeries {
  std::string_view series_id;  // empty: no guess
  size_t name_size = 0;        // the length of the metric name at the front of series_id
};

class ExpositionHandler {
 public:
  virtual ~ExpositionHandler() = default;
  virtual void on_family(const FamilyView& family) = 0;
  virtual void on_sample(const SampleView& sample) = 0;

  // Asked by the text 0.0.4 parser before each sample line. Reading labels is
  // the costliest part of a line; a scraper that caches series by series_id
  // can usually tell which series comes next (targets repeat their order), and
  // when the line begins with exactly those bytes the parser skips reading the
  // labels and sets SampleView::labels_skipped. REQUIRES: a non-empty guess is
  // a series_id the text 0.0.4 parser has handed this handler's owner before,
  // so its bytes are known to be a valid `name{labels}`.
  virtual KnownSeries expected_series() { return {}; }

  // Asked by the text 0.0.4 parser at a # HELP or # TYPE line that does not
  // name the family just read: the family the handler expects next (its
  // order last time). When the line's name is exactly those bytes the parser
  // takes it without classifying each byte. Empty: no guess. REQUIRES: a
  // non-empty guess is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), as
  // every family name a parser hands over is.
  virtual std::string_view expected_family_name() { return {}; }
};

struct ParseOptions {
  // Exemplars are always validated in OpenMetrics; this says whether they are
  // handed to the handler.
  bool parse_exemplars = false;
  // OpenMetrics only. A family name may appear again after other families, as
  // in a backfill file that concatenates many scrapes (Prometheus's own
  // OpenMetrics parser and `promtool tsdb create-blocks-from openmetrics`
  // accept that). Every other rule still holds. Off: the strict 1.0 rule.
  bool allow_repeated_families = false;
};

Status parse_exposition(std::string_view body, ExpositionFormat format, ExpositionHandler& handler,
                        const ParseOptions& options = {});

}  // namespace mc
