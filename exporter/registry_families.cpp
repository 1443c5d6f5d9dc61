#include "exporter/registry_families.hpp"

#include <string>

#include "common/exposition/format_value.hpp"

namespace mc {

namespace {

MetricType metric_type_of(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return MetricType::counter;
    case prometheus::MetricType::Gauge:
      return MetricType::gauge;
    case prometheus::MetricType::Summary:
      return MetricType::summary;
    case prometheus::MetricType::Histogram:
      return MetricType::histogram;
    case prometheus::MetricType::Untyped:
      break;
  }
  return MetricType::unknown;
}

std::string format_bound(double bound, ExpositionFormat format) {
  std::string text;
  if (format == ExpositionFormat::openmetrics) {
    append_openmetrics_float(text, bound);
  } else {
    append_text_float(text, bound);
  }
  return text;
}

// One series: the metric's labels plus __name__ and, for buckets and
// quantiles, the bound label.
ExposedSeries make_series(const prometheus::ClientMetric& metric, const std::string& name,
                          double value, const char* bound_label = nullptr,
                          std::string bound_value = {}) {
  std::vector<Label> labels;
  labels.reserve(metric.label.size() + 2);
  labels.push_back(Label{std::string(kMetricNameLabel), name});
  for (const auto& label : metric.label) labels.push_back(Label{label.name, label.value});
  if (bound_label != nullptr) labels.push_back(Label{bound_label, std::move(bound_value)});
  ExposedSeries series{Labels(std::move(labels)), value, std::nullopt};
  if (metric.timestamp_ms != 0) series.timestamp_ms = metric.timestamp_ms;
  return series;
}

}  // namespace

std::vector<ExposedFamily> exposed_families_from_registry(
    const std::vector<prometheus::MetricFamily>& families, ExpositionFormat format) {
  std::vector<ExposedFamily> result;
  result.reserve(families.size());
  for (const auto& family : families) {
    ExposedFamily exposed;
    exposed.metadata.type = metric_type_of(family.type);
    exposed.metadata.family = family.name;
    exposed.metadata.help = family.help;
    exposed.metadata.family = std::string(openmetrics_family_name(exposed.metadata));
    const std::string& name = family.name;
    for (const auto& metric : family.metric) {
      switch (family.type) {
        case prometheus::MetricType::Counter:
          exposed.series.push_back(make_series(metric, name, metric.counter.value));
          break;
        case prometheus::MetricType::Gauge:
          exposed.series.push_back(make_series(metric, name, metric.gauge.value));
          break;
        case prometheus::MetricType::Untyped:
          exposed.series.push_back(make_series(metric, name, metric.untyped.value));
          break;
        case prometheus::MetricType::Summary:
          for (const auto& quantile : metric.summary.quantile) {
            exposed.series.push_back(make_series(metric, name, quantile.value, "quantile",
                                                 format_bound(quantile.quantile, format)));
          }
          exposed.series.push_back(make_series(metric, name + "_sum", metric.summary.sample_sum));
          exposed.series.push_back(make_series(metric, name + "_count",
                                               static_cast<double>(metric.summary.sample_count)));
          break;
        case prometheus::MetricType::Histogram:
          for (const auto& bucket : metric.histogram.bucket) {
            exposed.series.push_back(make_series(metric, name + "_bucket",
                                                 static_cast<double>(bucket.cumulative_count), "le",
                                                 format_bound(bucket.upper_bound, format)));
          }
          exposed.series.push_back(make_series(metric, name + "_sum", metric.histogram.sample_sum));
          exposed.series.push_back(make_series(metric, name + "_count",
                                               static_cast<double>(metric.histogram.sample_count)));
          break;
      }
    }
    result.push_back(std::move(exposed));
  }
  return result;
}

}  // namespace mc
