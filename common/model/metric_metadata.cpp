#include "common/model/metric_metadata.hpp"

#include <functional>

namespace mc {

std::string_view metric_type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
    case MetricType::gaugehistogram:
      return "gaugehistogram";
    case MetricType::summary:
      return "summary";
    case MetricType::info:
      return "info";
    case MetricType::stateset:
      return "stateset";
    case MetricType::unknown:
      break;
  }
  return "unknown";
}

std::optional<MetricType> parse_metric_type(std::string_view name) {
  for (auto type :
       {MetricType::unknown, MetricType::counter, MetricType::gauge, MetricType::histogram,
        MetricType::gaugehistogram, MetricType::summary, MetricType::info, MetricType::stateset}) {
    if (metric_type_name(type) == name) return type;
  }
  if (name == "untyped") return MetricType::unknown;
  return std::nullopt;
}

size_t metadata_hash(const MetricMetadata& metadata) {
  const std::hash<std::string_view> hash;
  size_t h = hash(metadata.family);
  h = h * 31 + hash(metadata.help);
  h = h * 31 + hash(metadata.unit);
  return h * 31 + static_cast<size_t>(metadata.type);
}

}  // namespace mc
