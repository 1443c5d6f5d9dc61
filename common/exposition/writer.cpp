#include "common/exposition/writer.hpp"

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <tuple>

#include "common/exposition/escape.hpp"
#include "common/exposition/format_value.hpp"
#include "common/model/sample_value.hpp"

namespace mc {

namespace {

bool has_suffix(std::string_view name, std::string_view family, std::string_view suffix) {
  return name.size() == family.size() + suffix.size() && name.starts_with(family) &&
         name.ends_with(suffix);
}

// The label that orders the series of one Metric: buckets by le, quantiles by
// quantile. It is not part of the Metric's identity.
std::string_view bound_label_of(MetricType type) {
  switch (type) {
    case MetricType::histogram:
    case MetricType::gaugehistogram:
      return "le";
    case MetricType::summary:
      return "quantile";
    default:
      return {};
  }
}

// Position of a sample inside its Metric, as client_golang writes them:
// buckets/quantiles (or the plain sample), _sum, _count, _created.
int suffix_rank(std::string_view family, std::string_view name) {
  if (name == family) return 0;
  for (std::string_view suffix : {"_bucket", "_total", "_info"}) {
    if (has_suffix(name, family, suffix)) return 0;
  }
  if (has_suffix(name, family, "_sum") || has_suffix(name, family, "_gsum")) return 1;
  if (has_suffix(name, family, "_count") || has_suffix(name, family, "_gcount")) return 2;
  if (has_suffix(name, family, "_created")) return 3;
  return 4;
}

double parse_bound(std::string_view text) {
  if (text.empty()) return std::numeric_limits<double>::infinity();
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(value)) {
    return std::numeric_limits<double>::infinity();
  }
  return value;
}

// Compares the labels that identify a Metric: all but __name__ and the bound label.
std::weak_ordering compare_metric_labels(const Labels& a, const Labels& b,
                                         std::string_view bound_label) {
  auto skip = [&](Labels::Iterator it, Labels::Iterator end) {
    while (it != end &&
           (it->name == kMetricNameLabel || (!bound_label.empty() && it->name == bound_label))) {
      ++it;
    }
    return it;
  };
  auto i = skip(a.begin(), a.end());
  auto j = skip(b.begin(), b.end());
  while (i != a.end() && j != b.end()) {
    if (auto order = *i <=> *j; std::is_neq(order)) return order;
    i = skip(std::next(i), a.end());
    j = skip(std::next(j), b.end());
  }
  if (i != a.end()) return std::weak_ordering::greater;
  if (j != b.end()) return std::weak_ordering::less;
  return std::weak_ordering::equivalent;
}

struct OrderedSeries {
  const ExposedSeries* series;
  std::string_view name;  // the sample name, looked up once
  int rank;
  double bound;
};

void order_series(const ExposedFamily& family, std::vector<OrderedSeries>& ordered,
                  WriteStats& stats) {
  const std::string_view family_name = family.metadata.family;
  const std::string_view bound_label = bound_label_of(family.metadata.type);
  ordered.clear();
  for (const auto& series : family.series) {
    if (is_stale_nan(series.value)) {
      ++stats.stale_skipped;
      continue;
    }
    double bound = bound_label.empty() ? 0 : parse_bound(series.labels->get(bound_label));
    std::string_view name = series.labels->metric_name();
    ordered.push_back({&series, name, suffix_rank(family_name, name), bound});
  }
  std::sort(ordered.begin(), ordered.end(), [&](const OrderedSeries& a, const OrderedSeries& b) {
    if (auto order = compare_metric_labels(*a.series->labels, *b.series->labels, bound_label);
        std::is_neq(order)) {
      return std::is_lt(order);
    }
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.bound != b.bound) return a.bound < b.bound;
    return *a.series->labels < *b.series->labels;
  });
  auto last = std::unique(ordered.begin(), ordered.end(),
                          [](const OrderedSeries& a, const OrderedSeries& b) {
                            return *a.series->labels == *b.series->labels;
                          });
  stats.duplicates_skipped += static_cast<size_t>(ordered.end() - last);
  ordered.erase(last, ordered.end());
}

void append_series(std::string& out, const ExposedSeries& series, ExpositionFormat format) {
  out += series.labels->metric_name();
  char separator = '{';
  for (const auto& label : *series.labels) {
    if (label.name == kMetricNameLabel) continue;
    out += separator;
    separator = ',';
    out += label.name;
    out += "=\"";
    append_escaped_label_value(out, label.value);
    out += '"';
  }
  if (separator == ',') out += '}';
  out += ' ';
  if (format == ExpositionFormat::openmetrics) {
    append_openmetrics_float(out, series.value);
    if (series.timestamp_ms) {
      out += ' ';
      append_openmetrics_timestamp(out, *series.timestamp_ms);
    }
  } else {
    append_text_float(out, series.value);
    if (series.timestamp_ms) {
      out += ' ';
      append_text_timestamp(out, *series.timestamp_ms);
    }
  }
  out += '\n';
}

void write_openmetrics_family(std::string& out, const ExposedFamily& family,
                              const std::vector<OrderedSeries>& ordered, WriteStats& stats) {
  const std::string_view name = family.metadata.family;
  MetricType type = family.metadata.type;
  auto fits = [&](const OrderedSeries& entry) {
    return series_fits_family(type, name, entry.name);
  };
  if (!std::all_of(ordered.begin(), ordered.end(), fits)) {
    // A text-format counter `foo` (no _total) cannot be an OpenMetrics
    // counter; as `unknown` it stays readable with its value intact.
    bool all_named_as_family =
        std::all_of(ordered.begin(), ordered.end(),
                    [&](const OrderedSeries& entry) { return entry.name == name; });
    if (all_named_as_family) type = MetricType::unknown;
  }
  auto fitting = static_cast<size_t>(std::count_if(ordered.begin(), ordered.end(), fits));
  stats.misfits_skipped += ordered.size() - fitting;
  if (fitting == 0) return;
  append_metadata(out, name, metric_type_name(type), family.metadata,
                  ExpositionFormat::openmetrics);
  for (const auto& entry : ordered) {
    if (!fits(entry)) continue;
    append_series(out, *entry.series, ExpositionFormat::openmetrics);
    ++stats.series_written;
  }
}

// OpenMetrics-only samples that text 0.0.4 carries as gauges of their own,
// in the order prometheus_client writes them (sorted by suffix).
constexpr std::string_view kOpenMetricsOnlySuffixes[] = {"_created", "_gcount", "_gsum"};

std::string_view openmetrics_only_suffix(std::string_view family, std::string_view name) {
  for (auto suffix : kOpenMetricsOnlySuffixes) {
    if (has_suffix(name, family, suffix)) return suffix;
  }
  return {};
}

void write_text_family(std::string& out, const ExposedFamily& family,
                       const std::vector<OrderedSeries>& ordered, WriteStats& stats) {
  const std::string_view name = family.metadata.family;
  const MetricType type = family.metadata.type;
  // Counters and infos are named after their samples in text 0.0.4
  // (foo_total, foo_info); every other type after the family.
  const bool named_by_sample = type == MetricType::counter || type == MetricType::info;
  auto block_of = [&](const OrderedSeries& entry) -> std::string_view {
    std::string_view sample_name = entry.name;
    return named_by_sample ? sample_name : name;
  };

  std::vector<std::string_view> main_blocks;
  for (const auto& entry : ordered) {
    if (!openmetrics_only_suffix(name, entry.name).empty()) continue;
    auto block = block_of(entry);
    if (std::find(main_blocks.begin(), main_blocks.end(), block) == main_blocks.end()) {
      main_blocks.push_back(block);
    }
  }
  for (auto block : main_blocks) {
    append_metadata(out, block, text_type_name(type), family.metadata,
                    ExpositionFormat::prometheus_text);
    for (const auto& entry : ordered) {
      if (!openmetrics_only_suffix(name, entry.name).empty()) continue;
      if (block_of(entry) != block) continue;
      append_series(out, *entry.series, ExpositionFormat::prometheus_text);
      ++stats.series_written;
    }
  }
  for (auto suffix : kOpenMetricsOnlySuffixes) {
    bool header_written = false;
    for (const auto& entry : ordered) {
      if (openmetrics_only_suffix(name, entry.name) != suffix) continue;
      if (!header_written) {
        std::string block(name);
        block += suffix;
        append_metadata(out, block, "gauge", family.metadata, ExpositionFormat::prometheus_text);
        header_written = true;
      }
      append_series(out, *entry.series, ExpositionFormat::prometheus_text);
      ++stats.series_written;
    }
  }
}

}  // namespace

std::string_view text_type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
    case MetricType::info:
    case MetricType::stateset:
      return "gauge";
    case MetricType::histogram:
    case MetricType::gaugehistogram:
      return "histogram";
    case MetricType::summary:
      return "summary";
    case MetricType::unknown:
      break;
  }
  return "untyped";
}

void append_metadata(std::string& out, std::string_view name, std::string_view type_name,
                     const MetricMetadata& metadata, ExpositionFormat format) {
  const bool openmetrics = format == ExpositionFormat::openmetrics;
  if (!metadata.help.empty()) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped_help(out, metadata.help, openmetrics);
    out += '\n';
  }
  out += "# TYPE ";
  out += name;
  out += ' ';
  out += type_name;
  out += '\n';
  if (openmetrics && !metadata.unit.empty()) {
    out += "# UNIT ";
    out += name;
    out += ' ';
    out += metadata.unit;
    out += '\n';
  }
}

std::string_view openmetrics_family_name(const MetricMetadata& metadata) {
  std::string_view family = metadata.family;
  if (metadata.type == MetricType::counter && family.ends_with("_total")) {
    family.remove_suffix(6);
  }
  return family;
}

bool series_fits_family(MetricType type, std::string_view family, std::string_view series_name) {
  auto suffixed = [&](std::string_view suffix) { return has_suffix(series_name, family, suffix); };
  switch (type) {
    case MetricType::counter:
      return suffixed("_total") || suffixed("_created");
    case MetricType::gauge:
    case MetricType::stateset:
    case MetricType::unknown:
      return series_name == family;
    case MetricType::info:
      return suffixed("_info");
    case MetricType::histogram:
      return suffixed("_bucket") || suffixed("_count") || suffixed("_sum") || suffixed("_created");
    case MetricType::gaugehistogram:
      return suffixed("_bucket") || suffixed("_gcount") || suffixed("_gsum");
    case MetricType::summary:
      return series_name == family || suffixed("_count") || suffixed("_sum") ||
             suffixed("_created");
  }
  return false;
}

WriteStats write_exposition(std::string& out, std::span<const ExposedFamily> families,
                            ExpositionFormat format) {
  WriteStats stats;
  std::vector<const ExposedFamily*> family_order;
  family_order.reserve(families.size());
  for (const auto& family : families) family_order.push_back(&family);
  std::stable_sort(family_order.begin(), family_order.end(),
                   [](const ExposedFamily* a, const ExposedFamily* b) {
                     // Text 0.0.4 may hold a counter `foo` (written foo_total)
                     // and a gauge `foo`: the type keeps their order fixed.
                     return std::tie(a->metadata.family, a->metadata.type) <
                            std::tie(b->metadata.family, b->metadata.type);
                   });

  std::vector<OrderedSeries> ordered;
  for (const ExposedFamily* family : family_order) {
    order_series(*family, ordered, stats);
    if (ordered.empty()) continue;
    if (format == ExpositionFormat::openmetrics) {
      write_openmetrics_family(out, *family, ordered, stats);
    } else {
      write_text_family(out, *family, ordered, stats);
    }
  }
  if (format == ExpositionFormat::openmetrics) out += "# EOF\n";
  return stats;
}

}  // namespace mc
